import type { App } from "firebase-admin/app";
import { getFunctions } from "firebase-admin/functions";
import type { NightlyTask } from "./taskPayloads";
import { REGION } from "../shared/config";

/** The task-queue function's exported name (functions/src/index.ts), which is also its queue's name. */
export const NIGHTLY_TASK_FUNCTION = "nightlyReenrichTasks";
export const NIGHTLY_TASK_REGION = REGION;

export interface EnqueueOptions {
  /** Deterministic id: enqueuing the same step twice (a retry, a resume) is a no-op. */
  id: string;
  delaySeconds?: number;
}

/** The port business code enqueues through: Cloud Tasks in production, in memory in tests. */
export interface NightlyQueue {
  enqueue(task: NightlyTask, options: EnqueueOptions): Promise<"enqueued" | "duplicate">;
}

export function cloudTasksQueue(app?: App): NightlyQueue {
  const queue = getFunctions(app).taskQueue<NightlyTask>(`locations/${NIGHTLY_TASK_REGION}/functions/${NIGHTLY_TASK_FUNCTION}`);
  return {
    async enqueue(task, { id, delaySeconds }) {
      try {
        await queue.enqueue(task, { id, ...(delaySeconds ? { scheduleDelaySeconds: delaySeconds } : {}) });
        return "enqueued";
      } catch (error) {
        if ((error as { code?: unknown }).code === "functions/task-already-exists") return "duplicate";
        throw error;
      }
    },
  };
}

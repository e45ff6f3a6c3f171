import type { App } from "firebase-admin/app";
import { getFunctions, type TaskOptions } from "firebase-admin/functions";
import { dispatchDeadlineFor } from "../shared/taskDeadlines";
import type { NightlyTask } from "./taskPayloads";
import { REGION } from "../shared/config";

/** The task-queue function's exported name (functions/src/index.ts), which is also its queue's name. */
export const NIGHTLY_TASK_FUNCTION = "nightlyReenrichTasks";
export const NIGHTLY_TASK_REGION = REGION;
/** The worker's timeout (`nightlyReenrichTasks`). */
export const NIGHTLY_TASK_TIMEOUT_SECONDS = 540;

export interface EnqueueOptions {
  /** Deterministic id: enqueuing the same step twice (a retry, a resume) is a no-op. */
  id: string;
  delaySeconds?: number;
}

/** The port business code enqueues through: Cloud Tasks in production, in memory in tests. */
export interface NightlyQueue {
  enqueue(task: NightlyTask, options: EnqueueOptions): Promise<"enqueued" | "duplicate">;
}

/** How a nightly task is enqueued: its id, its delay, and a delivery deadline past the worker's timeout (shared/taskDeadlines.ts). */
export const nightlyEnqueueOptions = ({ id, delaySeconds }: EnqueueOptions): TaskOptions & { dispatchDeadlineSeconds: number } => ({
  id,
  ...(delaySeconds ? { scheduleDelaySeconds: delaySeconds } : {}),
  dispatchDeadlineSeconds: dispatchDeadlineFor(NIGHTLY_TASK_TIMEOUT_SECONDS),
});

export function cloudTasksQueue(app?: App): NightlyQueue {
  const queue = getFunctions(app).taskQueue<NightlyTask>(`locations/${NIGHTLY_TASK_REGION}/functions/${NIGHTLY_TASK_FUNCTION}`);
  return {
    async enqueue(task, options) {
      try {
        await queue.enqueue(task, nightlyEnqueueOptions(options));
        return "enqueued";
      } catch (error) {
        if ((error as { code?: unknown }).code === "functions/task-already-exists") return "duplicate";
        throw error;
      }
    },
  };
}

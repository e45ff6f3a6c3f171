import type { App } from "firebase-admin/app";
import { getFunctions } from "firebase-admin/functions";
import { dispatchDeadlineFor } from "../shared/taskDeadlines";

/** The task-queue function's exported name (functions/src/index.ts), which is also its queue's name. */
export const DELETION_TASK_FUNCTION = "accountDeletionTasks";
export const DELETION_TASK_REGION = "us-central1";

/** One step of deleting an owner's data: the job document holds where it stands; the task only says whose. */
export interface DeletionTask {
  ownerId: string;
  generation: number;
  /** Counts the continuations of one generation, so each gets a fresh task id. */
  step: number;
}

/** The port deletion enqueues through: Cloud Tasks in production, in memory in tests. */
export interface DeletionQueue {
  enqueue(task: DeletionTask): Promise<"enqueued" | "duplicate">;
}

/** The worker's timeout; every enqueue's dispatch deadline covers it (shared/taskDeadlines.ts). */
export const DELETION_TASK_TIMEOUT_SECONDS = 540;
export const deletionEnqueueOptions = (task: DeletionTask) => ({
  id: deletionTaskId(task),
  dispatchDeadlineSeconds: dispatchDeadlineFor(DELETION_TASK_TIMEOUT_SECONDS),
});

export const deletionTaskId = ({ ownerId, generation, step }: DeletionTask) =>
  `delete-${ownerId}-${generation}-${step}`.replace(/[^A-Za-z0-9_-]/g, "_");

export function cloudTasksDeletionQueue(app?: App): DeletionQueue {
  const queue = getFunctions(app).taskQueue<DeletionTask>(`locations/${DELETION_TASK_REGION}/functions/${DELETION_TASK_FUNCTION}`);
  return {
    async enqueue(task) {
      try {
        await queue.enqueue(task, deletionEnqueueOptions(task));
        return "enqueued";
      } catch (error) {
        if ((error as { code?: unknown }).code === "functions/task-already-exists") return "duplicate";
        throw error;
      }
    },
  };
}

/** Records enqueued tasks (de-duplicated by id like Cloud Tasks); tests run them by hand. */
export class InMemoryDeletionQueue implements DeletionQueue {
  readonly tasks: DeletionTask[] = [];
  private readonly ids = new Set<string>();

  async enqueue(task: DeletionTask): Promise<"enqueued" | "duplicate"> {
    const id = deletionTaskId(task);
    if (this.ids.has(id)) return "duplicate";
    this.ids.add(id);
    this.tasks.push(task);
    return "enqueued";
  }
}

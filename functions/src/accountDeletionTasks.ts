import { onTaskDispatched } from "firebase-functions/v2/tasks";
import { appContextFromParams } from "./app";
import { runDeletion } from "./households/accountDeletion";
import { cloudTasksDeletionQueue, DELETION_TASK_REGION, type DeletionQueue, type DeletionTask } from "./households/deletionQueue";
import { logDeletionTaskFailed } from "./households/logs";

let queue: DeletionQueue | undefined;

/** Per task: well inside the timeout, so a run saves its cursor and hands over rather than being killed. */
const TASK_BUDGET_MS = 240_000;

/**
 * Continues an owner's data deletion (CONTRACT §9) from its saved phase and cursor: a continuation after a
 * request's budget, or the queue's retry of a run that died. Deletion never gives up: the queue retries
 * until the job is done.
 */
export const accountDeletionTasks = onTaskDispatched<DeletionTask>(
  {
    region: DELETION_TASK_REGION,
    timeoutSeconds: 540,
    memory: "512MiB",
    retryConfig: { maxAttempts: 100, minBackoffSeconds: 10, maxBackoffSeconds: 600, maxDoublings: 6 },
    rateLimits: { maxConcurrentDispatches: 20 },
  },
  async (request) => {
    const task: DeletionTask = {
      ownerId: String(request.data.ownerId),
      generation: Number(request.data.generation),
      step: Number(request.data.step),
    };
    queue ??= cloudTasksDeletionQueue();
    try {
      await runDeletion(appContextFromParams(), task.ownerId, { queue, budgetMs: TASK_BUDGET_MS }, task.step);
    } catch (error) {
      logDeletionTaskFailed({ ownerId: task.ownerId, attempt: request.retryCount + 1, error });
      throw error;
    }
  },
);

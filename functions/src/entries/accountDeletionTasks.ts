import { runDeletion } from "../households/accountDeletion";
import { DELETION_TASK_FUNCTION, DELETION_TASK_TIMEOUT_SECONDS, type DeletionTask } from "../households/deletionQueue";
import { deletionQueue } from "../households/requests";
import { defineTaskQueue } from "../triggers/taskQueue";

/** Per task: well inside the timeout, so a run saves its cursor and hands over rather than being killed. */
const TASK_BUDGET_MS = 240_000;

/**
 * Continues an owner's data deletion (CONTRACT §9) from its saved phase and cursor: a continuation after a
 * request's budget, or the queue's retry of a run that died. Deletion does not give up: the job stays open
 * and a repeated request (or the next retry) finishes it.
 */
export default defineTaskQueue<DeletionTask>({
  name: DELETION_TASK_FUNCTION,
  tmdb: false,
  parse: (data) => {
    const { ownerId, generation, step } = data as Record<string, unknown>;
    return { ownerId: String(ownerId), generation: Number(generation), step: Number(step) };
  },
  describe: ({ ownerId, step }) => ({ ownerId, step }),
  handler: async (ctx, task) => {
    await runDeletion(ctx, task.ownerId, { queue: deletionQueue(), budgetMs: TASK_BUDGET_MS }, task.step);
  },
  options: {
    timeoutSeconds: DELETION_TASK_TIMEOUT_SECONDS,
    memory: "512MiB",
    retryConfig: { maxAttempts: 100, minBackoffSeconds: 10, maxBackoffSeconds: 600, maxDoublings: 6 },
    rateLimits: { maxConcurrentDispatches: 20 },
  },
});

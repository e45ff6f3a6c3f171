import { cloudNamesQueue, namesTaskSchema, NAMES_TASK_FUNCTION, NAMES_TASK_TIMEOUT_SECONDS, runNamesTask } from "../language/reenrichNames";
import { defineTaskQueue } from "../triggers/taskQueue";

/**
 * Names re-enrichment after a language switch (language/reenrichNames.ts): one page of a library per
 * task, the next page enqueued by the task itself. Few at once: each may call TMDB for its shows' names.
 */
export default defineTaskQueue({
  name: NAMES_TASK_FUNCTION,
  parse: (data) => namesTaskSchema.parse(data),
  describe: (task) => ({ uid: task.uid, language: task.language }),
  handler: async (ctx, task) => {
    await runNamesTask(ctx, cloudNamesQueue(), task);
  },
  options: {
    timeoutSeconds: NAMES_TASK_TIMEOUT_SECONDS,
    retryConfig: { maxAttempts: 5, minBackoffSeconds: 30, maxBackoffSeconds: 600, maxDoublings: 4 },
    rateLimits: { maxConcurrentDispatches: 4, maxDispatchesPerSecond: 2 },
  },
});

import { onTaskDispatched } from "firebase-functions/v2/tasks";
import { appContextFromParams } from "./app";
import { TMDB_API_KEY } from "./config";
import { cloudNamesQueue, namesTaskSchema, NAMES_TASK_REGION, runNamesTask } from "./language/reenrichNames";

/**
 * Names re-enrichment after a language switch (language/reenrichNames.ts): one page of a library per task,
 * the next page enqueued by the task itself. Few at once: each may call TMDB for its shows' names.
 */
export const languageReenrichTasks = onTaskDispatched(
  {
    region: NAMES_TASK_REGION,
    secrets: [TMDB_API_KEY],
    timeoutSeconds: 300,
    retryConfig: { maxAttempts: 5, minBackoffSeconds: 30, maxBackoffSeconds: 600, maxDoublings: 4 },
    rateLimits: { maxConcurrentDispatches: 4, maxDispatchesPerSecond: 2 },
  },
  async (request) => {
    const task = namesTaskSchema.safeParse(request.data);
    // A malformed task will never succeed: dropped rather than retried.
    if (!task.success) return;
    await runNamesTask(appContextFromParams(), cloudNamesQueue(), task.data);
  },
);

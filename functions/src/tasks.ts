import { onTaskDispatched } from "firebase-functions/v2/tasks";
import { TMDB_API_KEY } from "./config";
import { nightlyDepsFromParams } from "./nightly/deps";
import { NIGHTLY_TASK_REGION, NIGHTLY_TASK_TIMEOUT_SECONDS } from "./nightly/queue";
import { runNightlyTask } from "./nightly/worker";

/**
 * The nightly job's workers. The queue's rate limits are what keep TMDB traffic under its limit: at
 * most 6 tasks at once, one task a show at a time (one request each); retries back off exponentially.
 * One task per instance, so each task's TMDB call count is its own.
 */
export const nightlyReenrichTasks = onTaskDispatched(
  {
    region: NIGHTLY_TASK_REGION,
    secrets: [TMDB_API_KEY],
    timeoutSeconds: NIGHTLY_TASK_TIMEOUT_SECONDS,
    concurrency: 1,
    retryConfig: { maxAttempts: 5, minBackoffSeconds: 30, maxBackoffSeconds: 900, maxDoublings: 4 },
    rateLimits: { maxConcurrentDispatches: 6, maxDispatchesPerSecond: 5 },
  },
  async (request) => {
    await runNightlyTask(nightlyDepsFromParams(), request.data);
  },
);

import { nightlyDepsFor } from "../nightly/deps";
import { NIGHTLY_TASK_FUNCTION, NIGHTLY_TASK_TIMEOUT_SECONDS } from "../nightly/queue";
import { runNightlyTask } from "../nightly/worker";
import { defineTaskQueue } from "../triggers/taskQueue";

/**
 * The nightly job's workers. The queue's rate limits are what keep TMDB traffic under its limit: at
 * most 6 tasks at once, one task a show at a time (one request each); retries back off exponentially.
 * One task per instance, so each task's TMDB call count is its own. No `onFinalFailure`: a task's work
 * belongs to a run, which the planner resumes or gives up (its seasons stay marked stale).
 */
export default defineTaskQueue<unknown>({
  name: NIGHTLY_TASK_FUNCTION,
  // runNightlyTask validates the payload itself and drops (logs) one that cannot be valid, without a retry.
  parse: (data) => data,
  describe: (task) => ({ kind: (task as { kind?: unknown } | null)?.kind, runId: (task as { runId?: unknown } | null)?.runId }),
  handler: (ctx, task) => runNightlyTask(nightlyDepsFor(ctx), task),
  options: {
    // The enqueue's dispatch deadline covers it (nightly/queue.ts).
    timeoutSeconds: NIGHTLY_TASK_TIMEOUT_SECONDS,
    concurrency: 1,
    retryConfig: { maxAttempts: 5, minBackoffSeconds: 30, maxBackoffSeconds: 900, maxDoublings: 4 },
    rateLimits: { maxConcurrentDispatches: 6, maxDispatchesPerSecond: 5 },
  },
});

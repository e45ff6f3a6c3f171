import { nightlyDepsFor } from "../nightly/deps";
import { runNightly } from "../nightly/planner";
import { defineSchedule } from "../triggers/schedule";

/**
 * Daily at 03:00 UTC. Only plans (changes feed, stale marks, queueing); the refreshes and re-enrichment
 * run on the `nightlyReenrichTasks` queue.
 */
export default defineSchedule({
  name: "nightlyReenrich",
  schedule: "every day 03:00",
  timeZone: "UTC",
  options: { timeoutSeconds: 540, retryCount: 1 },
  handler: async (ctx) => {
    await runNightly(nightlyDepsFor(ctx));
  },
});

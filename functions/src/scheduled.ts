import { onSchedule } from "firebase-functions/v2/scheduler";
import { TMDB_API_KEY } from "./config";
import { nightlyDepsFromParams } from "./nightly/deps";
import { runNightly } from "./nightly/planner";

/**
 * CONTRACT §3: daily at 03:00 UTC. Only plans (changes feed, stale marks, queueing); the refreshes
 * and re-enrichment run on the `nightlyReenrichTasks` queue (see tasks.ts).
 */
export const nightlyReenrich = onSchedule(
  { schedule: "every day 03:00", timeZone: "UTC", region: "us-central1", secrets: [TMDB_API_KEY], timeoutSeconds: 540, retryCount: 1 },
  async () => {
    await runNightly(nightlyDepsFromParams());
  },
);

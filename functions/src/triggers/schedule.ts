import { onSchedule, type ScheduleOptions } from "firebase-functions/v2/scheduler";
import { appContextFromParams, type AppContext } from "../shared/app";
import { REGION, secretsFor } from "./common";
import { logScheduleFailed } from "./logs";

export interface ScheduleSpec {
  name: string;
  /** Cloud Scheduler's syntax (`every day 03:00`), in `timeZone`. */
  schedule: string;
  timeZone: string;
  handler: (ctx: AppContext) => Promise<void>;
  tmdb?: boolean;
  options?: Pick<ScheduleOptions, "timeoutSeconds" | "memory" | "retryCount">;
}

/** The whole trigger layer of a scheduled job: the instance's context, a structured log when a run fails (then rethrown, so Scheduler retries it). */
export function defineSchedule(spec: ScheduleSpec) {
  return onSchedule(
    { schedule: spec.schedule, timeZone: spec.timeZone, region: REGION, secrets: secretsFor(spec.tmdb), ...spec.options },
    async () => {
      const started = Date.now();
      try {
        await spec.handler(appContextFromParams());
      } catch (error) {
        logScheduleFailed({ name: spec.name, error, durationMs: Date.now() - started });
        throw error;
      }
    },
  );
}

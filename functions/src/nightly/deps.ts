import type { DocumentReference } from "firebase-admin/firestore";
import type { AppContext } from "../shared/app";
import { fcmAlertSender, type AlertSender } from "./alertSender";
import { cloudTasksQueue, type NightlyQueue } from "./queue";
import { nightlyStateRef } from "./state";

export interface NightlyOptions {
  /** Wall time the planner spends before handing the rest of its work to a `plan` task. */
  planBudgetMs: number;
  /** Shows refreshed by one task: one TMDB request each, so this also paces TMDB traffic. */
  refreshBatchShows: number;
  usersPageSize: number;
  /** Tracking documents re-enriched at once within a page. */
  usersConcurrency: number;
  /** Changed shows prepared at once (a season query and a couple of reads each). */
  prepareConcurrency: number;
  /** Planner passes (first one plus resumes) before an unfinished run is given up. */
  maxRunAttempts: number;
  /** Consecutive page attempts without progress before a show's re-enrichment is given up. */
  maxStalls: number;
  backfillPageSize: number;
  ttlPageSize: number;
  /**
   * Limits the one-time `showId` backfill to a range of tracking-document paths (start inclusive, end
   * exclusive). Production scans everything; operators (and tests) can backfill a slice.
   */
  backfillScope: { startAt: string; endBefore: string } | null;
}

export const DEFAULT_NIGHTLY_OPTIONS: NightlyOptions = {
  planBudgetMs: 240_000,
  refreshBatchShows: 10,
  usersPageSize: 500,
  usersConcurrency: 8,
  prepareConcurrency: 10,
  maxRunAttempts: 3,
  maxStalls: 5,
  backfillPageSize: 500,
  ttlPageSize: 300,
  backfillScope: null,
};

/** Notable points of the work, for instrumentation; a test can count them or throw to simulate a crash. */
export type NightlyProbeEvent =
  | { type: "changes-page"; page: number; showIds: number[] }
  | { type: "show-planned"; showId: number; seasons: number[] }
  | { type: "show-refreshed"; showId: number }
  | { type: "document"; path: string; wrote: boolean }
  | { type: "page-committed"; showId: number; cursor: string | null; done: boolean };

export interface NightlyDeps extends Pick<AppContext, "db" | "tmdb" | "cache" | "config" | "clock"> {
  queue: NightlyQueue;
  /** `ops/nightly_reenrich` in production. */
  stateRef: DocumentReference;
  options: NightlyOptions;
  probe?: (event: NightlyProbeEvent) => void;
  /** Sends new-episode alerts (FCM in production); without one, no alerts are written or sent. */
  alerts?: AlertSender;
}

export function nightlyDeps(
  ctx: AppContext,
  queue: NightlyQueue,
  overrides: { stateRef?: DocumentReference; options?: Partial<NightlyOptions>; probe?: NightlyDeps["probe"]; alerts?: AlertSender } = {},
): NightlyDeps {
  return {
    db: ctx.db,
    tmdb: ctx.tmdb,
    cache: ctx.cache,
    config: ctx.config,
    clock: ctx.clock,
    queue,
    stateRef: overrides.stateRef ?? nightlyStateRef(ctx.db),
    options: { ...DEFAULT_NIGHTLY_OPTIONS, ...overrides.options },
    probe: overrides.probe,
    alerts: overrides.alerts,
  };
}

/** The deployed (or emulated) function's dependencies: its context, the Cloud Tasks queue, FCM alerts. */
export function nightlyDepsFor(ctx: AppContext): NightlyDeps {
  return nightlyDeps(ctx, cloudTasksQueue(), { alerts: fcmAlertSender() });
}

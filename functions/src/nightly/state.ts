import { FieldValue, Timestamp, type DocumentReference, type DocumentSnapshot, type Firestore } from "firebase-admin/firestore";
import { z } from "zod";

/**
 * `ops/nightly_reenrich` (admin-only, see firestore.rules): the last processed window, the current
 * run (window, phase, cursors, counts, duration) and the one-time `showId` backfill. Per-show work of
 * the current run lives in its `nightly_work/{showId}` subcollection, so a run that failed or timed
 * out resumes exactly where it stopped.
 */
export const NIGHTLY_STATE_PATH = "ops/nightly_reenrich";
export const WORK_COLLECTION = "nightly_work";

export const nightlyStateRef = (db: Firestore) => db.doc(NIGHTLY_STATE_PATH);
export const workCollection = (stateRef: DocumentReference) => stateRef.collection(WORK_COLLECTION);
export const workRef = (stateRef: DocumentReference, showId: number) => workCollection(stateRef).doc(String(showId));

const timestamp = z.instanceof(Timestamp);
const count = z.number().int().nonnegative().default(0);

export const runCountsSchema = z.object({
  /** `/tv/changes` pages read. */
  changesPages: count,
  /** Show ids TMDB reported (or, in TTL mode, shows with expired seasons). */
  changedShows: count,
  /** Changed shows we cache something of: the work items of the run. */
  showsPlanned: count,
  seasonsMarked: count,
  /** Seasons this run fetched from TMDB (seasons a racing user request fetched are not counted). */
  seasonsRefreshed: count,
  /** User tracking documents read by the re-enrichment pass. */
  documentsRead: count,
  documentsUpdated: count,
  episodesUpdated: count,
  tmdbCalls: count,
  failures: count,
});
export type RunCounts = z.infer<typeof runCountsSchema>;
export const zeroCounts = (): RunCounts => runCountsSchema.parse({});

export const runSchema = z.object({
  id: z.string(),
  mode: z.enum(["changes", "ttl"]),
  window: z.object({ start: z.string(), end: z.string() }),
  startedAt: timestamp,
  /** Planner passes that dispatched this run: 1, plus one per resume. */
  attempts: z.number().int().positive(),
  phase: z.enum(["backfill", "collecting", "dispatched", "finished"]),
  /** Where collecting continues: the next `/tv/changes` page, or (TTL mode) after this season document. */
  cursor: z.object({ page: z.number().int().positive(), ttlAfter: z.object({ lastUpdated: timestamp, id: z.string() }).nullable() }),
  showsTotal: count,
  showsDone: count,
  counts: runCountsSchema,
  /** Last commit of a worker: an operator can tell a run that is moving from one that is stuck. */
  lastProgressAt: timestamp.nullable().default(null),
  finishedAt: timestamp.nullable(),
  durationMs: z.number().nullable(),
  outcome: z.enum(["succeeded", "gave-up"]).nullable(),
});
export type RunState = z.infer<typeof runSchema>;
export type RunPhase = RunState["phase"];

const backfillSchema = z.object({
  done: z.boolean(),
  cursor: z.string().nullable(),
  scanned: count,
  updated: count,
  completedAt: timestamp.nullable(),
});
export type BackfillState = z.infer<typeof backfillSchema>;

export const stateSchema = z.object({
  /** Changes up to this UTC day are processed; the next window starts here. */
  lastWindowEnd: z.string().nullable().default(null),
  backfill: backfillSchema.default({ done: false, cursor: null, scanned: 0, updated: 0, completedAt: null }),
  run: runSchema.nullable().default(null),
});
export type NightlyState = z.infer<typeof stateSchema>;

export const workSchema = z.object({
  runId: z.string(),
  showId: z.number().int().positive(),
  /** Cached seasons of the show this run refreshes and re-checks in user documents. */
  seasons: z.array(z.number().int().nonnegative()),
  /** Whether the show document is refreshed too. */
  show: z.boolean(),
  refreshed: z.boolean(),
  /** Path of the last tracking document re-enriched; null before the first page. */
  cursor: z.string().nullable(),
  /** Consecutive attempts that could not move the cursor (a season locked by someone else, TMDB down). */
  stalls: z.number().int().nonnegative(),
  done: z.boolean(),
  counts: z.object({ seasonsRefreshed: count, tmdbCalls: count, documentsRead: count, documentsUpdated: count, failures: count }),
});
export type WorkItem = z.infer<typeof workSchema>;

export function parseState(snap: DocumentSnapshot): NightlyState {
  return stateSchema.parse(snap.data() ?? {});
}

export function parseWork(snap: DocumentSnapshot): WorkItem | null {
  if (!snap.exists) return null;
  const parsed = workSchema.safeParse(snap.data());
  return parsed.success ? parsed.data : null;
}

/** `FieldValue.increment`s of the run's counters (zeros left out), for one atomic write with other fields. */
export function runIncrements(
  counts: Partial<RunCounts>,
  extra: { showsTotal?: number; showsDone?: number } = {},
): Record<string, FieldValue> {
  const out: Record<string, FieldValue> = {};
  for (const [key, value] of Object.entries(counts)) if (value) out[`run.counts.${key}`] = FieldValue.increment(value);
  for (const [key, value] of Object.entries(extra)) if (value) out[`run.${key}`] = FieldValue.increment(value);
  return out;
}

export function workIncrements(counts: Partial<WorkItem["counts"]>): Record<string, FieldValue> {
  const out: Record<string, FieldValue> = {};
  for (const [key, value] of Object.entries(counts)) if (value) out[`counts.${key}`] = FieldValue.increment(value);
  return out;
}

/** Somebody else wrote the document first (a duplicate task, a concurrent planner, a user request). */
export { lostRace } from "../shared/firestoreErrors";

/**
 * Issue 16 rows: the library view from the summary (2 reads) against the full recomputation it replaced,
 * and the cost of a typical user-day. Called from bench/run.ts (`--only=library`).
 */
import { isDeepStrictEqual } from "node:util";
import type { AppContext } from "../functions/src/shared/app";
import { utcDate } from "../functions/src/shared/dates";
import type { AlertSender } from "../functions/src/nightly/alertSender";
import { nightlyDeps } from "../functions/src/nightly/deps";
import { runNightly } from "../functions/src/nightly/planner";
import type { NightlyQueue } from "../functions/src/nightly/queue";
import type { NightlyTask } from "../functions/src/nightly/taskPayloads";
import { runParsedTask } from "../functions/src/nightly/worker";
import { getCalendar } from "../functions/src/library/calendar";
import { rate } from "../functions/src/library/ratings";
import { savePlayback } from "../functions/src/playback/savePlayback";
import { getLibrary, getLibraryFull } from "../functions/src/progress/getLibrary";
import { librarySummaryRef, librarySummaryShardRef, type LibrarySummaryDoc } from "../functions/src/progress/librarySummary";
import { storageSize } from "../functions/src/shared/firestore";
import type { FirestoreCounts } from "./firestoreCounter";
import type { BenchShow } from "./library";

export interface CostRow {
  row: string;
  shows: number;
  firestoreReads: number;
  firestoreWrites: number;
  tmdbRequests: number;
  wallMs: number;
  note?: string;
}

export interface LibraryCostDeps {
  /** A function instance whose clock the caller moves. */
  instance(clock: () => Date): AppContext;
  counts(): FirestoreCounts;
  /** The show ids the fake TMDB's `/tv/changes` lists tonight. */
  setChanges(showIds: number[]): Promise<void>;
}

async function counted<T>(deps: LibraryCostDeps, ctx: AppContext, work: () => Promise<T>) {
  const before = deps.counts();
  const tmdbBefore = ctx.tmdb.requestCount;
  const started = Date.now();
  const value = await work();
  const after = deps.counts();
  return {
    value,
    reads: after.reads - before.reads,
    writes: after.writes - before.writes,
    tmdb: ctx.tmdb.requestCount - tmdbBefore,
    wallMs: Date.now() - started,
  };
}

/**
 * `getLibrary` warm on a library of `shows.length` shows (seeded, cache warm): one view from the summary
 * against one full recomputation (`getLibraryFull`, the old computation), answers compared.
 */
export async function warmLibraryRows(
  deps: LibraryCostDeps,
  uid: string,
  shows: BenchShow[],
): Promise<{ rows: CostRow[]; check: Record<string, unknown> }> {
  const now = new Date();
  const ctx = deps.instance(() => now);
  await getLibraryFull(ctx, uid); // warms the cache (cold shows through TMDB): not measured
  await getLibrary(ctx, uid); // builds the summary from the tracking documents: not measured
  const full = await counted(deps, ctx, () => getLibraryFull(ctx, uid));
  const summary = await counted(deps, ctx, () => getLibrary(ctx, uid));
  const index = await librarySummaryRef(ctx.db, uid).get();
  const shards = (index.data() as LibrarySummaryDoc | undefined)?.shards ?? 0;
  const docs = [index, ...(await Promise.all(Array.from({ length: shards }, (_, k) => librarySummaryShardRef(ctx.db, uid, k + 1).get())))];
  const row = (name: string, m: typeof full, note?: string): CostRow => ({
    row: name,
    shows: shows.length,
    firestoreReads: m.reads,
    firestoreWrites: m.writes,
    tmdbRequests: m.tmdb,
    wallMs: m.wallMs,
    note,
  });
  return {
    rows: [row("getLibrary warm: full recomputation (baseline)", full), row("getLibrary warm: library summary", summary)],
    check: {
      shows: shows.length,
      listed: summary.value.shows.length,
      equalToFullRecomputation: isDeepStrictEqual(summary.value, full.value),
      // The index and its shards (issue 22): each under 1 MiB, together past it for a large library.
      summaryDocuments: docs.length,
      summaryDocumentBytes: docs.map((doc) => storageSize(doc.data())),
    },
  };
}

const EPISODE_SECONDS = 45 * 60;
const DAY_MS = 86_400_000;
/** The share of a library TMDB's change feed lists on a given night (edits of any field: images, translations, episodes). */
const CHANGED_SHARE = 1 / 20;

/**
 * A simulated day of a typical user: the library opened 5 times, the calendar twice, 3 episodes watched
 * with a playback save every 60 s of a 45-minute episode (the last save at the end records the play),
 * one rating; then the nightly job, the next night (`nightlyCost`).
 */
export async function userDayRow(deps: LibraryCostDeps, uid: string, shows: BenchShow[]): Promise<CostRow> {
  let now = Date.now();
  const dayStarted = now;
  const ctx = deps.instance(() => new Date(now));
  await getLibrary(ctx, uid); // the summary exists from earlier days: not measured
  const watched = shows.slice(0, 3).map((show, i) => ({ showId: show.showId, season: 1, episode: 2 + i }));
  const day = await counted(deps, ctx, async () => {
    await getLibrary(ctx, uid);
    await getCalendar(ctx, uid, {});
    for (const [i, episode] of watched.entries()) {
      const media = { type: "episode" as const, ...episode };
      for (let position = 0; position <= EPISODE_SECONDS; position += 60) {
        await savePlayback(ctx, uid, { media, positionSeconds: position, durationSeconds: EPISODE_SECONDS });
        now += 60_000;
      }
      if (i === 1) await getCalendar(ctx, uid, {});
      await getLibrary(ctx, uid);
    }
    await rate(ctx, uid, { target: { type: "episode", ...watched[0] }, rating: 8 });
    await getLibrary(ctx, uid);
  });
  const night = await nightlyCost(deps, uid, shows, new Date(dayStarted));
  const total = (key: "reads" | "writes" | "tmdb") => day[key] + night.shared[key] + night.user[key];
  const fmt = (m: Cost) => `${m.reads} reads, ${m.writes} writes, ${m.tmdb} TMDB`;
  return {
    row: "user-day (5 library, 2 calendar, 3 episodes × 46 saves, 1 rating, the nightly job)",
    shows: shows.length,
    firestoreReads: total("reads"),
    firestoreWrites: total("writes"),
    tmdbRequests: total("tmdb"),
    wallMs: day.wallMs + night.wallMs,
    note:
      `day ${fmt(day)}; the night (TMDB's change feed lists ${night.changed} of the ${shows.length} shows): ` +
      `planning, refresh and alerts ${fmt(night.shared)} (per changed show, shared by its followers: whole here, this user ` +
      `being the only one; includes the run's state document and its one /tv/changes request), re-enrichment of this user's ` +
      `documents (pages with their work item and counters) ${fmt(night.user)}`,
  };
}

interface Cost {
  reads: number;
  writes: number;
  tmdb: number;
}

/** Tasks kept in memory and run in-process one at a time, with Cloud Tasks' de-duplication by id. */
class SequentialQueue implements NightlyQueue {
  private readonly ids = new Set<string>();
  readonly pending: NightlyTask[] = [];
  async enqueue(task: NightlyTask, { id }: { id: string }): Promise<"enqueued" | "duplicate"> {
    if (this.ids.has(id)) return "duplicate";
    this.ids.add(id);
    this.pending.push(task);
    return "enqueued";
  }
}

/** Alerts are on, as in production; FCM itself is not called. */
const acceptingSender: AlertSender = { send: async (messages) => messages.map(() => ({ ok: true as const })) };

/**
 * The nightly job the night after `day`, run in-process (planner, then every task it queues) with a
 * clock at 03:00 the next day, its own state document (last window ended on `day`, backfill done) and a
 * change feed listing every 20th show of the library. The planner and the refresh and alert work are
 * per show (a show's followers share them); the `users` pages are the re-enrichment of this user's
 * tracking documents of the changed shows (and, as always after a refresh, their library entries
 * marked stale).
 */
async function nightlyCost(
  deps: LibraryCostDeps,
  uid: string,
  shows: BenchShow[],
  day: Date,
): Promise<{ changed: number; shared: Cost; user: Cost; wallMs: number }> {
  const nightAt = new Date(Date.parse(`${utcDate(new Date(day.getTime() + DAY_MS))}T03:00:00Z`));
  const ctx = deps.instance(() => nightAt);
  const stateRef = ctx.db.collection("ops").doc(`bench-nightly-${uid}`);
  await stateRef.set({
    lastWindowEnd: utcDate(day),
    backfill: { done: true, cursor: null, scanned: 0, updated: 0, completedAt: null },
    run: null,
  });
  const changed = shows.filter((_, i) => i % Math.round(1 / CHANGED_SHARE) === 0).map((show) => show.showId);
  await deps.setChanges(changed);
  const queue = new SequentialQueue();
  const nightly = nightlyDeps(ctx, queue, { stateRef, alerts: acceptingSender });
  const shared: Cost = { reads: 0, writes: 0, tmdb: 0 };
  const user: Cost = { reads: 0, writes: 0, tmdb: 0 };
  const add = (into: Cost, m: Cost) => {
    into.reads += m.reads;
    into.writes += m.writes;
    into.tmdb += m.tmdb;
  };
  const started = Date.now();
  try {
    const planned = await counted(deps, ctx, () => runNightly(nightly));
    if (planned.value.phase === "finished" && changed.length > 0) throw new Error("bench: the nightly run planned nothing");
    add(shared, planned);
    for (let task = queue.pending.shift(); task; task = queue.pending.shift()) {
      const current = task;
      const ran = await counted(deps, ctx, () => runParsedTask(nightly, current));
      add(current.kind === "users" ? user : shared, ran);
    }
  } finally {
    await deps.setChanges([]);
  }
  const wallMs = Date.now() - started;
  const run = (await stateRef.get()).get("run") as { phase: string; counts: Record<string, number> } | undefined;
  if (run?.phase !== "finished" || run.counts.documentsRead !== changed.length) {
    throw new Error(`bench: the nightly run did not re-enrich the ${changed.length} changed shows: ${JSON.stringify(run)}`);
  }
  return { changed: changed.length, shared, user, wallMs };
}

export function costTable(rows: CostRow[]): string {
  const lines = ["| row | shows | Firestore reads | writes | TMDB requests | wall |", "|---|---:|---:|---:|---:|---:|"];
  for (const r of rows)
    lines.push(
      `| ${r.row} | ${r.shows} | ${r.firestoreReads.toLocaleString("en-US")} | ${r.firestoreWrites.toLocaleString("en-US")} | ${r.tmdbRequests} | ${(r.wallMs / 1000).toFixed(2)} s |`,
    );
  const notes = rows.filter((r) => r.note).map((r) => `- ${r.row}, ${r.shows} shows: ${r.note}`);
  return [...lines, ...(notes.length > 0 ? ["", ...notes] : [])].join("\n");
}

/**
 * Issue 16 rows: the library view from the summary (2 reads) against the full recomputation it replaced,
 * and the cost of a typical user-day. Called from bench/run.ts (`--only=library`).
 */
import { isDeepStrictEqual } from "node:util";
import type { AppContext } from "../functions/src/app";
import { getCalendar } from "../functions/src/library/calendar";
import { rate } from "../functions/src/library/ratings";
import { savePlayback } from "../functions/src/playback/savePlayback";
import { getLibrary, getLibraryFull } from "../functions/src/progress/getLibrary";
import { librarySummaryRef } from "../functions/src/tracking/librarySummaryDoc";
import { storageSize } from "../functions/src/tracking/trackingDoc";
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
  const doc = await librarySummaryRef(ctx.db, uid).get();
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
      summaryDocumentBytes: storageSize(doc.data()),
    },
  };
}

const EPISODE_SECONDS = 45 * 60;

/**
 * A simulated day of a typical user: the library opened 5 times, the calendar twice, 3 episodes watched
 * with a playback save every 60 s of a 45-minute episode (the last save at the end records the play),
 * one rating. The nightly job is not run here (its cost per user is one re-enrichment page share).
 */
export async function userDayRow(deps: LibraryCostDeps, uid: string, shows: BenchShow[]): Promise<CostRow> {
  let now = Date.now();
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
  return {
    row: "user-day (5 library, 2 calendar, 3 episodes × 46 saves, 1 rating; nightly not included)",
    shows: shows.length,
    firestoreReads: day.reads,
    firestoreWrites: day.writes,
    tmdbRequests: day.tmdb,
    wallMs: day.wallMs,
  };
}

export function costTable(rows: CostRow[]): string {
  const lines = ["| row | shows | Firestore reads | writes | TMDB requests | wall |", "|---|---:|---:|---:|---:|---:|"];
  for (const r of rows)
    lines.push(
      `| ${r.row} | ${r.shows} | ${r.firestoreReads.toLocaleString("en-US")} | ${r.firestoreWrites.toLocaleString("en-US")} | ${r.tmdbRequests} | ${(r.wallMs / 1000).toFixed(2)} s |`,
    );
  return lines.join("\n");
}

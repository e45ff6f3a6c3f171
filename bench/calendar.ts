/**
 * Issue 13's calendar row: `getCalendar` for a 300-show library, cold (empty cache, every show through
 * TMDB) and then warm (answered from the cache: no TMDB request), for the default week and the longest
 * window (31 days), on a fresh function instance each time. Reports Firestore reads and writes, TMDB
 * requests, season documents read and wall time. Called from bench/run.ts (`--only=calendar`).
 */
import { Timestamp, type Firestore } from "firebase-admin/firestore";
import type { AppContext } from "../functions/src/shared/app";
import { calendarForShows, calendarWindow, followedShows, getCalendar } from "../functions/src/library/calendar";
import { getLibrary } from "../functions/src/progress/getLibrary";
import { trackingRef } from "../functions/src/tracking/trackingDoc";
import type { FakeTmdbControl } from "../tools/fake-tmdb/control";
import { addDays, utcToday } from "../tools/fake-tmdb/catalog";
import type { FirestoreCounts } from "./firestoreCounter";
import { measure } from "./measure";

export interface CalendarBenchDeps {
  fake: { control: FakeTmdbControl };
  /** Seeding: not counted. */
  seedDb: Firestore;
  firestoreCounts: () => FirestoreCounts;
  /** A new function instance (its own TMDB client) over the counted Firestore. */
  instance: () => AppContext;
  uid: string;
  phase: (text: string) => void;
  phaseDone: (detail?: string) => void;
}

export interface CalendarBenchRow {
  row: string;
  shows: number;
  days: number;
  items: number;
  /** Season cache documents the calendar read (`seasonsForWindow`'s pick). */
  seasonsRead: number;
  firestoreReads: number;
  firestoreWrites: number;
  tmdbRequests: number;
  wallMs: number;
}

const SHOWS = 300;
const FIRST_SHOW_ID = 7_800_001;

/**
 * A library as the calendar meets it: every show has 3 finished seasons; two in three are airing a
 * weekly season that started 0–9 weeks ago (10 episodes), every fourth has an undated next season
 * announced, the rest have ended.
 */
function calendarShow(i: number, today: string) {
  const past = [2012, 2015, 2018].map((year) => ({ episodes: 10, airDate: `${year}-0${1 + (i % 9)}-01` }));
  const airing = i % 3 !== 2;
  const started = addDays(today, -7 * (i % 10));
  const running = airing ? [{ episodes: 10, airDates: Array.from({ length: 10 }, (_, k) => addDays(started, 7 * k)) }] : [];
  const announced = i % 4 === 0 ? [{ episodes: 8 }] : [];
  return { name: `Calendar show ${i + 1}`, seasons: [...past, ...running, ...announced] };
}

export async function calendarBench(deps: CalendarBenchDeps): Promise<CalendarBenchRow[]> {
  const today = utcToday();
  const showIds = Array.from({ length: SHOWS }, (_, i) => FIRST_SHOW_ID + i);
  deps.phase(`registering ${SHOWS} shows and following them`);
  for (const [i, showId] of showIds.entries()) await deps.fake.control.setShow(showId, calendarShow(i, today));
  const writer = deps.seedDb.bulkWriter();
  const watchedAt = Timestamp.fromMillis(Date.parse("2024-05-01T20:00:00Z"));
  for (const showId of showIds)
    void writer.set(trackingRef(deps.seedDb, deps.uid, showId), { showId, episodes: { "1_1": { watched: true, plays: 1, watchedAt } } });
  await writer.close();
  deps.phaseDone();

  const rows: CalendarBenchRow[] = [];
  const run = async (row: string, days: number) => {
    deps.phase(`getCalendar, ${row}, ${days} days`);
    const ctx = deps.instance();
    const { value, measurement } = await measure(deps.fake.control, deps.firestoreCounts, () => getCalendar(ctx, deps.uid, { days }));
    // What the calendar read, from the same code path, outside the measurement.
    const { stats } = await calendarForShows(ctx, await followedShows(ctx.db, deps.uid), calendarWindow({ days }, ctx.clock()));
    rows.push({
      row,
      shows: SHOWS,
      days,
      items: value.items.length,
      seasonsRead: stats.seasonsRead,
      firestoreReads: measurement.firestoreReads,
      firestoreWrites: measurement.firestoreWrites,
      tmdbRequests: measurement.tmdbRequests,
      wallMs: measurement.wallMs,
    });
    deps.phaseDone(`${value.items.length} episodes, ${measurement.tmdbRequests} TMDB requests, ${measurement.firestoreReads} reads`);
  };
  await run("cold cache", 7);
  await run("warm cache", 7);
  await run("warm cache", 31);
  await run("warm cache, again", 7);
  // A user of the app has a library summary (any `getLibrary` builds it): the followed shows come from it.
  await getLibrary(deps.instance(), deps.uid);
  await run("warm cache, library summary", 7);
  return rows;
}

export function calendarTable(rows: CalendarBenchRow[]): string {
  const header = "| getCalendar | shows | days | episodes | season docs read | Firestore reads | Firestore writes | TMDB requests | wall |";
  const lines = rows.map(
    (r) =>
      `| ${r.row} | ${r.shows} | ${r.days} | ${r.items} | ${r.seasonsRead} | ${r.firestoreReads} | ${r.firestoreWrites} | ${r.tmdbRequests} | ${(r.wallMs / 1000).toFixed(2)} s |`,
  );
  return [header, "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |", ...lines].join("\n");
}

import pLimit from "p-limit";
import { metered, type AppContext } from "../shared/app";
import type { SeasonEpisodes, ShowFacts } from "../cache/documents";
import { readFreshSeasons, readFreshShows } from "../cache/operations";
import { compareEpisodes } from "../tracking/episodeKeys";
import { readLibrarySummary } from "../progress/librarySummary";
import { isShowId } from "../shared/validation";
import { trackingCollection, trackingRef } from "../tracking/trackingDoc";
import { logCalendarLoaded } from "./logs";
import { DEFAULT_CALENDAR_DAYS, isHiddenStatus, type CalendarItem, type GetCalendarRequest, type GetCalendarResponse } from "./schemas";

/** Shows loaded through the cache at once when their documents are not warm (may call TMDB). */
const COLD_SHOW_CONCURRENCY = 4;

export interface CalendarWindow {
  /** First day, `YYYY-MM-DD` (UTC), inclusive. */
  from: string;
  /** Day after the last one, exclusive. */
  end: string;
}

const DAY_MS = 86_400_000;
export const addDays = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

export function calendarWindow(request: GetCalendarRequest, now: Date): CalendarWindow {
  const from = request.from ?? now.toISOString().slice(0, 10);
  return { from, end: addDays(from, request.days ?? DEFAULT_CALENDAR_DAYS) };
}

/**
 * The regular seasons that may have an episode airing in the window, from the show facts alone: the
 * latest season that started on or before `from` (it may still be airing), every season starting inside
 * the window, seasons with no air date yet, and the season of the next episode TMDB announced. Specials
 * are left out. Pure; usually one or two seasons a show, which is what bounds the calendar's reads.
 */
export function seasonsForWindow(facts: ShowFacts, window: CalendarWindow): number[] {
  const seasons = Object.entries(facts.seasons)
    .map(([number, season]) => ({ number: Number(number), airDate: season?.airDate ?? null }))
    .filter((s) => Number.isInteger(s.number) && s.number > 0);
  const picked = new Set<number>();
  let running: { number: number; airDate: string } | null = null;
  for (const season of seasons) {
    if (season.airDate === null || season.airDate === "") picked.add(season.number);
    else if (season.airDate >= window.from && season.airDate < window.end) picked.add(season.number);
    else if (
      season.airDate < window.from &&
      (!running || season.airDate > running.airDate || (season.airDate === running.airDate && season.number > running.number))
    ) {
      running = { number: season.number, airDate: season.airDate };
    }
  }
  if (running) picked.add(running.number);
  const next = facts.nextEpisodeToAir;
  if (next && next.season > 0 && next.airDate && next.airDate < window.end) picked.add(next.season);
  return [...picked].sort((a, b) => a - b);
}

/** The episodes of one show airing in the window, in air order. Pure. */
export function calendarItemsOf(
  showId: number,
  name: string | null,
  seasons: Map<number, SeasonEpisodes>,
  window: CalendarWindow,
): CalendarItem[] {
  const items: CalendarItem[] = [];
  for (const [season, episodes] of seasons) {
    for (const [number, cached] of Object.entries(episodes)) {
      const episode = Number(number);
      const airDate = cached?.episodeAirDate;
      if (!Number.isInteger(episode) || episode < 1 || typeof airDate !== "string" || airDate < window.from || airDate >= window.end)
        continue;
      items.push({ showId, name, season, episode, episodeName: cached.episodeName ?? "", airDate });
    }
  }
  return items.sort(compareEpisodes);
}

/** By air date, then show, season and episode: a stable order for clients and the iCal feed. */
export const compareCalendarItems = (a: CalendarItem, b: CalendarItem) =>
  (a.airDate < b.airDate ? -1 : a.airDate > b.airDate ? 1 : 0) || a.showId - b.showId || compareEpisodes(a, b);

export interface CalendarStats {
  shows: number;
  seasonsRead: number;
  /** Shows or seasons that had to go through the cache (missing, stale or locked documents). */
  cold: number;
  tmdbCalls: number;
}

type CalendarDeps = Pick<AppContext, "db" | "cache" | "clock" | "config" | "tmdb">;

/**
 * The shows a user follows and has not paused or dropped: every tracking document with a show id. From the
 * library summary when it knows every tracked show (a `count()` says so): its entries carry the status, and
 * only entries a tracking write has marked stale since (their status may have changed) are checked against
 * their document. So a calendar costs 2 reads here, not one per show; without a complete summary, the
 * tracking documents are listed (their status only).
 */
export async function followedShows(db: AppContext["db"], uid: string): Promise<number[]> {
  const { stored, complete } = await readLibrarySummary(db, uid);
  if (!complete) return listFollowedShows(db, uid);
  const followed: number[] = [];
  const unsure: number[] = [];
  for (const [id, entry] of Object.entries(stored)) {
    const showId = Number(id);
    if (!isShowId(showId)) continue;
    // `staleAt: 0`: a tracking write (or the nightly job) marked it since (tracking/librarySummaryDoc.ts), maybe a
    // status change; any other stale entry was computed from the tracking document as it still is.
    if (entry.staleAt === 0 || entry.status === undefined) unsure.push(showId);
    else if (!isHiddenStatus(entry.status)) followed.push(showId);
  }
  if (unsure.length > 0) {
    const snaps = await db.getAll(...unsure.map((showId) => trackingRef(db, uid, showId)), { fieldMask: ["status"] });
    snaps.forEach((snap, i) => {
      if (snap.exists && !isHiddenStatus(snap.get("status"))) followed.push(unsure[i]);
    });
  }
  return followed.sort((a, b) => a - b);
}

async function listFollowedShows(db: AppContext["db"], uid: string): Promise<number[]> {
  // Only `status` is needed: the (possibly large) episode maps are not transferred.
  const snapshot = await trackingCollection(db, uid).select("status").get();
  return snapshot.docs.flatMap((doc) => {
    const showId = Number(doc.id);
    return isShowId(showId) && !isHiddenStatus(doc.get("status")) ? [showId] : [];
  });
}

/**
 * The episodes of the given shows airing in the window. Warm, it is one batched read of the show
 * documents and one of the seasons `seasonsForWindow` picks (no TMDB call); a show or season whose
 * document is missing, stale or locked goes through the cache (bounded concurrency), which may call
 * TMDB and serves stale data while another request refreshes it.
 */
export async function calendarForShows(
  context: CalendarDeps,
  showIds: number[],
  window: CalendarWindow,
): Promise<{ items: CalendarItem[]; stats: CalendarStats }> {
  const deps = metered(context);
  const now = deps.clock();
  const config = deps.config.cache;
  const limit = pLimit(COLD_SHOW_CONCURRENCY);
  let cold = 0;

  const fresh = await readFreshShows(deps.db, config, showIds, now);
  const facts = await Promise.all(
    showIds.map(async (showId, i): Promise<ShowFacts | null> => {
      const warm = fresh.get(showId);
      if (warm) return warm.value;
      cold++;
      const show = await limit(() => deps.cache.getShow(showIds[i]));
      return "facts" in show ? show.facts : null;
    }),
  );

  const wanted = showIds.flatMap((showId, i) => {
    const known = facts[i];
    return known && !known.notFound ? [{ showId, name: known.name, seasons: seasonsForWindow(known, window) }] : [];
  });
  const refs = wanted.flatMap(({ showId, seasons }) => seasons.map((season) => ({ showId, season })));
  const freshSeasons = await readFreshSeasons(deps.db, config, refs, now);
  let next = 0;
  const perShow = await Promise.all(
    wanted.map(async ({ showId, name, seasons }) => {
      const episodes = new Map<number, SeasonEpisodes>();
      const missing: number[] = [];
      for (const season of seasons) {
        const found = freshSeasons[next++];
        if (found) episodes.set(season, found.value);
        else missing.push(season);
      }
      if (missing.length > 0) {
        cold++;
        const loaded = await limit(() => deps.cache.load(showId, missing));
        for (const [season, result] of loaded.seasons) if ("episodes" in result) episodes.set(season, result.episodes);
      }
      return calendarItemsOf(showId, name, episodes, window);
    }),
  );
  const items = perShow.flat().sort(compareCalendarItems);
  return { items, stats: { shows: showIds.length, seasonsRead: refs.length, cold, tmdbCalls: deps.meter.requests } };
}

/** `getCalendar`: the followed (not paused or dropped) shows' episodes airing from `from` for `days` days. */
export async function getCalendar(deps: CalendarDeps, uid: string, request: GetCalendarRequest): Promise<GetCalendarResponse> {
  const started = Date.now();
  const window = calendarWindow(request, deps.clock());
  const showIds = await followedShows(deps.db, uid);
  const { items, stats } = await calendarForShows(deps, showIds, window);
  logCalendarLoaded({ uid, ...stats, items: items.length, durationMs: Date.now() - started });
  return { items };
}

import pLimit from "p-limit";
import { metered, type AppContext } from "../shared/app";
import type { SeasonEpisodes, ShowFacts } from "../cache/documents";
import { readFreshSeasons, readFreshShows } from "../cache/operations";
import { compareEpisodes } from "../tracking/episodeKeys";
import { readLibrarySummary } from "../progress/librarySummary";
import { isShowId } from "../shared/validation";
import { trackingCollection, trackingRef } from "../tracking/trackingDoc";
import { logCalendarLoaded } from "./logs";
import { airInstant, airZoneOf, dayIn, todayIn } from "../language/airTime";
import { localizedNames } from "../language/localize";
import { readPreferences } from "../language/preferences";
import { DEFAULT_LANGUAGE, DEFAULT_TIME_ZONE } from "../language/tags";
import { DEFAULT_CALENDAR_DAYS, isHiddenStatus, type CalendarItem, type GetCalendarRequest, type GetCalendarResponse } from "./schemas";

/** Shows loaded through the cache at once when their documents are not warm (may call TMDB). */
const COLD_SHOW_CONCURRENCY = 4;

export interface CalendarWindow {
  /** First day, `YYYY-MM-DD` (in `timeZone`), inclusive. */
  from: string;
  /** Day after the last one, exclusive. */
  end: string;
  /** The user's IANA time zone the days are in (default UTC). */
  timeZone?: string;
}

/** A calendar item with the instant it airs (language/airTime.ts), which orders items and times iCal events. */
export interface CalendarEntry extends CalendarItem {
  airsAt: string;
  /** Whether the show's zone is known (a timed event) or the date is a UTC day (an all-day event). */
  timed: boolean;
}

/** The contract's item: exactly its fields. */
export const calendarItemOf = ({ showId, name, season, episode, episodeName, airDate }: CalendarEntry): CalendarItem => ({
  showId,
  name,
  season,
  episode,
  episodeName,
  airDate,
});

const DAY_MS = 86_400_000;
export const addDays = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

export function calendarWindow(request: GetCalendarRequest, now: Date, timeZone = DEFAULT_TIME_ZONE): CalendarWindow {
  const from = request.from ?? todayIn(now, timeZone);
  return { from, end: addDays(from, request.days ?? DEFAULT_CALENDAR_DAYS), timeZone };
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

/**
 * The episodes of one show airing in the window, in air order. Pure. An episode's day is the user's
 * calendar day of the moment it airs by the show's clock (`zone`: language/airTime.ts), so it may be the
 * day after (east) or before (west) TMDB's date; `airDate` is that day.
 */
export function calendarItemsOf(
  showId: number,
  name: string | null,
  seasons: Map<number, SeasonEpisodes>,
  window: CalendarWindow,
  zone: string | null = null,
): CalendarEntry[] {
  const items: CalendarEntry[] = [];
  const userZone = window.timeZone ?? DEFAULT_TIME_ZONE;
  for (const [season, episodes] of seasons) {
    for (const [number, cached] of Object.entries(episodes)) {
      const episode = Number(number);
      const at = airInstant(cached?.episodeAirDate, zone);
      if (!Number.isInteger(episode) || episode < 1 || !at) continue;
      const day = dayIn(at, userZone);
      if (day < window.from || day >= window.end) continue;
      items.push({
        showId,
        name,
        season,
        episode,
        episodeName: cached.episodeName ?? "",
        airDate: day,
        airsAt: at.toISOString(),
        timed: zone !== null,
      });
    }
  }
  return items.sort(compareEpisodes);
}

/** By the moment it airs, then show, season and episode: a stable order for clients and the iCal feed. */
export const compareCalendarItems = (a: CalendarEntry, b: CalendarEntry) =>
  (a.airsAt < b.airsAt ? -1 : a.airsAt > b.airsAt ? 1 : 0) || a.showId - b.showId || compareEpisodes(a, b);

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
 * library summary's index when it knows every tracked show: its heads carry the status, and only entries a
 * tracking write has marked stale since (their status may have changed) are checked against their
 * document. So a calendar costs 1 read here, not one per show, whatever the library's size; without a
 * complete summary, the tracking documents are listed (their status only).
 */
export async function followedShows(db: AppContext["db"], uid: string): Promise<number[]> {
  // The index alone: its heads carry the status, the shards only the progress.
  const { stored, complete } = await readLibrarySummary(db, uid, { progress: false });
  if (!complete) return listFollowedShows(db, uid);
  const followed: number[] = [];
  const unsure: number[] = [];
  for (const [id, entry] of Object.entries(stored)) {
    const showId = Number(id);
    if (!isShowId(showId)) continue;
    // `staleAt: 0`: a tracking write (or the nightly job) marked it since (progress/librarySummary.ts), maybe a
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
  options: { language?: string } = {},
): Promise<{ items: CalendarEntry[]; stats: CalendarStats }> {
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
    // A day either side: the user's days are not the show's (east or west of it).
    const wide = { from: addDays(window.from, -1), end: addDays(window.end, 1) };
    return known && !known.notFound ? [{ showId, name: known.name, zone: airZoneOf(known), seasons: seasonsForWindow(known, wide) }] : [];
  });
  const refs = wanted.flatMap(({ showId, seasons }) => seasons.map((season) => ({ showId, season })));
  const freshSeasons = await readFreshSeasons(deps.db, config, refs, now);
  let next = 0;
  const perShow = await Promise.all(
    wanted.map(async ({ showId, name, zone, seasons }) => {
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
      return calendarItemsOf(showId, name, episodes, window, zone);
    }),
  );
  const items = (await localizeCalendar(deps, perShow.flat(), options.language)).sort(compareCalendarItems);
  return { items, stats: { shows: showIds.length, seasonsRead: refs.length, cold, tmdbCalls: deps.meter.requests } };
}

/** `getCalendar`: the followed (not paused or dropped) shows' episodes airing from `from` for `days` days. */
export async function getCalendar(deps: CalendarDeps, uid: string, request: GetCalendarRequest): Promise<GetCalendarResponse> {
  const started = Date.now();
  const [preferences, showIds] = await Promise.all([readPreferences(deps.db, uid), followedShows(deps.db, uid)]);
  const window = calendarWindow(request, deps.clock(), preferences.timeZone);
  const { items, stats } = await calendarForShows(deps, showIds, window, { language: preferences.language });
  logCalendarLoaded({ uid, ...stats, items: items.length, durationMs: Date.now() - started });
  return { items: items.map(calendarItemOf) };
}

/** Show and episode names in the profile's language (CONTRACT §11), the default-language ones where TMDB has none. */
async function localizeCalendar(
  deps: Pick<AppContext, "cache">,
  items: CalendarEntry[],
  language = DEFAULT_LANGUAGE,
): Promise<CalendarEntry[]> {
  if (language === DEFAULT_LANGUAGE || items.length === 0) return items;
  const book = await localizedNames(
    deps.cache.names,
    language,
    items.map((item) => ({ showId: item.showId, show: true, seasons: [item.season] })),
  );
  return items.map((item) => ({
    ...item,
    name: book.show(item.showId, item.name),
    episodeName: book.episode(item.showId, item.season, item.episode, item.episodeName),
  }));
}

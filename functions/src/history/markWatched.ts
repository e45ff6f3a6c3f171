import { Timestamp, type Firestore } from "firebase-admin/firestore";
import type { AppContext } from "../app";
import type { SeasonEpisodes } from "../cache/documents";
import type { SeasonResult } from "../cache/tvCache";
import { notFound, unavailable } from "../errors";
import { logMarkedWatched } from "../logs";
import { compareEpisodes, episodeKey, parseEpisodeKey, type EpisodeRef } from "../tracking/episodeKeys";
import { trackingRef, type TrackedEpisode, type TrackingDoc } from "../tracking/trackingDoc";
import { enrichTouchedShows } from "./enrichTouched";
import { assertTrackingFits, historyCollection, nativePlayId, recordPlays, writeTrackingChanges, type Play } from "./plays";
import type { MarkWatchedRequest, MarkWatchedResponse, MarkWatchedTarget } from "./schemas";

interface MarkEpisode extends EpisodeRef {
  watchedAt?: string;
}

/**
 * Marks episodes, a season or a whole show watched (one `app` play per newly watched episode; season
 * and show marks cover aired episodes only), or un-marks them (`watched: false`, their `app` plays
 * removed, `plays` lowered to match). `changed` counts episodes whose watched state flipped. Every
 * target is checked against TMDB through the global cache: an unknown show, season or episode is
 * `not-found`.
 */
export async function markWatched(ctx: AppContext, uid: string, request: MarkWatchedRequest): Promise<MarkWatchedResponse> {
  const started = Date.now();
  const callsBefore = ctx.tmdb.requestCount;
  const { showId, target } = request;
  const watched = request.watched ?? true;
  const episodes = await targetEpisodes(ctx, showId, target);

  let changed: number;
  if (watched) {
    const fallback = request.watchedAt ? new Date(request.watchedAt) : ctx.clock();
    const plays = episodes.map((e): Play => {
      const watchedAt = e.watchedAt ? new Date(e.watchedAt) : fallback;
      return {
        historyId: nativePlayId("app", showId, e.season, e.episode, watchedAt),
        showId,
        season: e.season,
        episode: e.episode,
        watchedAt,
        source: "app",
        sourceId: null,
        action: "watch",
      };
    });
    // Already watched episodes keep their state and get no extra play (checked inside each transaction).
    changed = (await recordPlays(ctx.db, uid, plays, ctx.clock, { skipWatched: true })).added;
  } else {
    const listed = new Set(episodes.map((e) => episodeKey(e.season, e.episode)));
    // Un-marking a season or show also covers tracked episodes TMDB does not list (yet).
    const select =
      target.type === "episodes"
        ? (ref: EpisodeRef) => listed.has(episodeKey(ref.season, ref.episode))
        : target.type === "season"
          ? (ref: EpisodeRef) => ref.season === target.season
          : (ref: EpisodeRef) => ref.season !== 0 || target.includeSpecials === true;
    changed = await unmarkEpisodes(ctx.db, uid, showId, select, ctx.clock);
  }

  if (changed > 0) await enrichTouchedShows(ctx, uid, [showId]);
  logMarkedWatched({ uid, showId, target: target.type, watched, episodes: episodes.length, changed, tmdbCalls: ctx.tmdb.requestCount - callsBefore, durationMs: Date.now() - started });
  return { showId, changed };
}

/** Today as TMDB writes air dates (YYYY-MM-DD, UTC). */
const isoDay = (date: Date) => date.toISOString().slice(0, 10);

/** Episodes of a season with an air date on or before today; unknown air dates have not aired. */
export function airedEpisodes(season: number, episodes: SeasonEpisodes, today: string): EpisodeRef[] {
  return Object.entries(episodes)
    .filter(([, e]) => e.episodeAirDate !== null && e.episodeAirDate <= today)
    .map(([number]) => ({ season, episode: Number(number) }))
    .sort(compareEpisodes);
}

/** The episodes a target covers, checked against TMDB (through the global cache). */
async function targetEpisodes(ctx: AppContext, showId: number, target: MarkWatchedTarget): Promise<MarkEpisode[]> {
  const today = isoDay(ctx.clock());
  if (target.type === "episodes") {
    const seasons = await loadSeasons(ctx, showId, [...new Set(target.episodes.map((e) => e.season))]);
    const byKey = new Map<string, MarkEpisode>();
    for (const e of target.episodes) {
      if (!seasons.get(e.season)?.[String(e.episode)]) throw notFound(`show ${showId} has no episode S${e.season}E${e.episode} on TMDB`);
      byKey.set(episodeKey(e.season, e.episode), e);
    }
    return [...byKey.values()];
  }
  if (target.type === "season") {
    const seasons = await loadSeasons(ctx, showId, [target.season]);
    return airedEpisodes(target.season, seasons.get(target.season) ?? {}, today);
  }
  const show = await ctx.cache.getShow(showId);
  if (show.state === "unavailable") throw show.error;
  if (show.state === "pending") throw unavailable(`show ${showId} is being fetched from TMDB; try again shortly`);
  if (show.facts.notFound) throw notFound(`show ${showId} not found on TMDB`);
  const numbers = Object.keys(show.facts.seasons)
    .map(Number)
    .filter((season) => season !== 0 || target.includeSpecials === true);
  const seasons = await loadSeasons(ctx, showId, numbers, { allowMissing: true });
  return numbers.flatMap((season) => airedEpisodes(season, seasons.get(season) ?? {}, today)).sort(compareEpisodes);
}

/** Season episodes from the cache; a season TMDB does not know is `not-found` unless `allowMissing`. */
async function loadSeasons(ctx: AppContext, showId: number, numbers: number[], options: { allowMissing?: boolean } = {}): Promise<Map<number, SeasonEpisodes>> {
  const { seasons } = await ctx.cache.load(showId, numbers);
  const episodes = new Map<number, SeasonEpisodes>();
  for (const season of numbers) {
    const result = seasons.get(season) as SeasonResult;
    if (result.state === "unavailable") throw result.error;
    if (result.state === "pending") throw unavailable(`show ${showId} season ${season} is being fetched from TMDB; try again shortly`);
    if (result.notFound && !options.allowMissing) throw notFound(`show ${showId} has no season ${season} on TMDB`);
    episodes.set(season, result.episodes);
  }
  return episodes;
}

/** Writes per un-mark transaction (Firestore allows 500): history deletes plus the tracking update. */
const UNMARK_WRITES_PER_TRANSACTION = 450;

/**
 * Un-marks the selected episodes in transactions of bounded size: each reads the tracking document
 * and the show's `app` plays, sets `watched: false`, deletes those plays and lowers `plays` by as
 * many. Episodes imported from elsewhere keep their plays (they are history the app did not record).
 * Returns how many episodes went from watched to unwatched.
 */
async function unmarkEpisodes(db: Firestore, uid: string, showId: number, select: (ref: EpisodeRef) => boolean, clock: () => Date): Promise<number> {
  const ref = trackingRef(db, uid, showId);
  const appPlays = historyCollection(db, uid).where("showId", "==", showId).where("source", "==", "app");
  let changed = 0;
  for (;;) {
    const { done, flipped } = await db.runTransaction(async (tx) => {
      const [snap, plays] = await Promise.all([tx.get(ref), tx.get(appPlays)]);
      const doc = (snap.data() ?? {}) as TrackingDoc;
      const playsByKey = new Map<string, string[]>();
      for (const play of plays.docs) {
        const key = episodeKey(play.get("season") as number, play.get("episode") as number);
        playsByKey.set(key, [...(playsByKey.get(key) ?? []), play.id]);
      }
      const keys = new Set([...Object.keys(doc.episodes ?? {}), ...playsByKey.keys()]);
      const targets = [...keys].filter((key) => {
        const parsed = parseEpisodeKey(key);
        return parsed && select(parsed) && (doc.episodes?.[key]?.watched === true || playsByKey.has(key));
      });
      if (targets.length === 0) return { done: true, flipped: 0 };

      const changes: Record<string, TrackedEpisode> = {};
      const deletes: string[] = [];
      let flippedHere = 0;
      let processed = 0;
      for (const key of targets) {
        const removed = playsByKey.get(key) ?? [];
        if (deletes.length + removed.length + 1 > UNMARK_WRITES_PER_TRANSACTION && processed > 0) break;
        processed++;
        deletes.push(...removed);
        const current = doc.episodes?.[key];
        if (current) {
          if (current.watched === true) flippedHere++;
          const plays = current.plays !== undefined && removed.length > 0 ? { plays: Math.max(0, current.plays - removed.length) } : {};
          changes[key] = { ...current, watched: false, ...plays };
        }
      }
      for (const id of deletes) tx.delete(historyCollection(db, uid).doc(id));
      if (Object.keys(changes).length > 0) {
        assertTrackingFits(ref, doc, changes);
        writeTrackingChanges(tx, ref, snap.exists, doc, changes, Timestamp.fromDate(clock()));
      }
      return { done: processed === targets.length, flipped: flippedHere };
    });
    changed += flipped;
    if (done) return changed;
  }
}

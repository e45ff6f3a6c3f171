import type { AppContext } from "../app";
import type { SeasonEpisodes } from "../cache/documents";
import type { SeasonResult } from "../cache/tvCache";
import { hasAired, utcDate } from "../dates";
import { notFound, unavailable } from "../errors";
import { logMarkedWatched } from "../logs";
import { forgetPlaybackWatched } from "../playback/unwatch";
import { compareEpisodes, episodeKey, type EpisodeRef } from "../tracking/episodeKeys";
import { episodePlay } from "../tracking/plays";
import { recordPlays, unmarkEpisodes } from "../tracking/repository";
import { enrichTouchedShows } from "./enrichTouched";
import type { MarkWatchedRequest, MarkWatchedResponse, MarkWatchedTarget } from "./schemas";

interface MarkEpisode extends EpisodeRef {
  watchedAt?: string;
}

/**
 * Marks episodes, a season or a whole show watched (one `app` play per newly watched episode; season
 * and show marks cover aired episodes only), or un-marks them (`watched: false`, the plays live sources
 * recorded removed, `plays` lowered to match: see `unmarkEpisodes`). `changed` counts episodes whose watched state flipped. Every
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
    const plays = episodes.map((e) =>
      episodePlay({ showId, season: e.season, episode: e.episode, watchedAt: e.watchedAt ? new Date(e.watchedAt) : fallback, source: "app" }),
    );
    // Already watched episodes keep their state and get no extra play (checked inside each transaction).
    changed = (await recordPlays(ctx.db, uid, plays, { clock: ctx.clock, skipWatched: true })).added;
  } else {
    const listed = new Set(episodes.map((e) => episodeKey(e.season, e.episode)));
    // Un-marking a season or show also covers tracked episodes TMDB does not list (yet).
    const select =
      target.type === "episodes"
        ? (ref: EpisodeRef) => listed.has(episodeKey(ref.season, ref.episode))
        : target.type === "season"
          ? (ref: EpisodeRef) => ref.season === target.season
          : (ref: EpisodeRef) => ref.season !== 0 || target.includeSpecials === true;
    changed = (await unmarkEpisodes(ctx.db, uid, showId, select, ctx.clock)).changed;
    // The player's sticky `watched` too, so the next completed viewing is recorded (CONTRACT §1).
    await forgetPlaybackWatched(ctx.db, uid, showId, select);
  }

  if (changed > 0) await enrichTouchedShows(ctx, uid, [showId]);
  logMarkedWatched({ uid, showId, target: target.type, watched, episodes: episodes.length, changed, tmdbCalls: ctx.tmdb.requestCount - callsBefore, durationMs: Date.now() - started });
  return { showId, changed };
}


/** Episodes of a season with an air date on or before today; unknown air dates have not aired. */
export function airedEpisodes(season: number, episodes: SeasonEpisodes, today: string): EpisodeRef[] {
  return Object.entries(episodes)
    .filter(([, e]) => hasAired(e.episodeAirDate, today))
    .map(([number]) => ({ season, episode: Number(number) }))
    .sort(compareEpisodes);
}

/** The episodes a target covers, checked against TMDB (through the global cache). */
async function targetEpisodes(ctx: AppContext, showId: number, target: MarkWatchedTarget): Promise<MarkEpisode[]> {
  const today = utcDate(ctx.clock());
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

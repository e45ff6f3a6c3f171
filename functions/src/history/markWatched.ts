import { metered, type AppContext } from "../shared/app";
import type { SeasonEpisodes } from "../cache/documents";
import { hasAired, utcDate } from "../shared/dates";
import { notFound } from "../shared/errors";
import { logMarkedWatched } from "../shared/logs";
import { forgetPlaybackWatched } from "../playback/unwatch";
import { loadShowCatalog, requireCatalog } from "../progress/showCatalog";
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
export async function markWatched(context: AppContext, uid: string, request: MarkWatchedRequest): Promise<MarkWatchedResponse> {
  const started = Date.now();
  const ctx = metered(context);
  const { showId, target } = request;
  const watched = request.watched ?? true;
  const episodes = await targetEpisodes(ctx, showId, target);

  let changed: number;
  if (watched) {
    const fallback = request.watchedAt ? new Date(request.watchedAt) : ctx.clock();
    const plays = episodes.map((e) =>
      episodePlay({
        showId,
        season: e.season,
        episode: e.episode,
        watchedAt: e.watchedAt ? new Date(e.watchedAt) : fallback,
        source: "app",
      }),
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
    // The player's sticky `watched` too, so the next completed viewing is recorded (docs/API.md: Firestore paths).
    await forgetPlaybackWatched(ctx.db, uid, showId, select);
  }

  if (changed > 0) await enrichTouchedShows(ctx, uid, [showId]);
  logMarkedWatched({
    uid,
    showId,
    target: target.type,
    watched,
    episodes: episodes.length,
    changed,
    tmdbCalls: ctx.meter.requests,
    durationMs: Date.now() - started,
  });
  return { showId, changed };
}

/** Episodes of a season with an air date on or before today; unknown air dates have not aired. */
export function airedEpisodes(season: number, episodes: SeasonEpisodes, today: string): EpisodeRef[] {
  return Object.entries(episodes)
    .filter(([, e]) => hasAired(e.episodeAirDate, today))
    .map(([number]) => ({ season, episode: Number(number) }))
    .sort(compareEpisodes);
}

/** The episodes a target covers, checked against TMDB (through the global cache, the way progress loads a show). */
async function targetEpisodes(ctx: AppContext, showId: number, target: MarkWatchedTarget): Promise<MarkEpisode[]> {
  const today = utcDate(ctx.clock());
  const wanted =
    target.type === "episodes"
      ? [...new Set(target.episodes.map((e) => e.season))]
      : target.type === "season"
        ? [target.season]
        : undefined;
  // Seasons the show does not list are not-found without a TMDB request or a cache document.
  const load = await loadShowCatalog(ctx.cache, showId, {
    seasons: wanted,
    includeSpecials: target.type !== "show" || target.includeSpecials === true,
  });
  if (load.notFound) throw notFound(`show ${showId} not found on TMDB`);
  const { seasons } = requireCatalog(load, showId);
  for (const season of wanted ?? []) {
    if (Object.keys(seasons.get(season) ?? {}).length === 0) throw notFound(`show ${showId} has no season ${season} on TMDB`);
  }
  if (target.type === "episodes") {
    const byKey = new Map<string, MarkEpisode>();
    for (const e of target.episodes) {
      if (!seasons.get(e.season)?.[String(e.episode)]) throw notFound(`show ${showId} has no episode S${e.season}E${e.episode} on TMDB`);
      byKey.set(episodeKey(e.season, e.episode), e);
    }
    return [...byKey.values()];
  }
  return [...seasons].flatMap(([season, episodes]) => airedEpisodes(season, episodes, today)).sort(compareEpisodes);
}

import pLimit from "p-limit";
import { metered, type AppContext } from "../shared/app";
import type { SeasonEpisodes } from "../cache/documents";
import { hasAired, utcDate } from "../shared/dates";
import { showToday } from "../language/airTime";
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
  const episodes = await targetEpisodes(ctx, request.showId, request.target);
  const changed = await applyMark(ctx, uid, request, episodes);
  logMark(ctx, uid, request, episodes.length, changed, started);
  return { showId: request.showId, changed };
}

/** Profiles marked at once by one "watched together" call: their documents are disjoint. */
const PROFILE_CONCURRENCY = 4;

/**
 * "We watched it together" (CONTRACT §9): the same target marked on each profile (already authorised by
 * the trigger layer), each exactly as a mark of its own would (one play per viewing, aired episodes only,
 * un-mark then rewatch, the 10-minute rule: `recordPlays`/`unmarkEpisodes` inside each profile's own
 * transactions, so a retry or a concurrent call adds nothing). The target is resolved once, so TMDB is
 * asked at most once per missing season whatever the number of profiles.
 */
export async function markWatchedTogether(
  context: AppContext,
  profileIds: readonly string[],
  request: MarkWatchedRequest,
): Promise<MarkWatchedResponse> {
  const started = Date.now();
  const ctx = metered(context);
  const episodes = await targetEpisodes(ctx, request.showId, request.target);
  const limit = pLimit(PROFILE_CONCURRENCY);
  const profiles = await Promise.all(
    profileIds.map((profileId) =>
      limit(async () => {
        const changed = await applyMark(ctx, profileId, request, episodes);
        logMark(ctx, profileId, request, episodes.length, changed, started);
        return { profileId, changed };
      }),
    ),
  );
  return { showId: request.showId, changed: profiles.reduce((sum, p) => sum + p.changed, 0), profiles };
}

/** The mark itself, on one profile's data: through `tracking/`, the only writer of watch state. */
async function applyMark(
  ctx: AppContext & { meter: { requests: number } },
  uid: string,
  request: MarkWatchedRequest,
  episodes: MarkEpisode[],
): Promise<number> {
  const { showId, target } = request;
  const watched = request.watched ?? true;
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
  return changed;
}

function logMark(
  ctx: { meter: { requests: number } },
  uid: string,
  request: MarkWatchedRequest,
  episodes: number,
  changed: number,
  started: number,
): void {
  logMarkedWatched({
    uid,
    showId: request.showId,
    target: request.target.type,
    watched: request.watched ?? true,
    episodes,
    changed,
    tmdbCalls: ctx.meter.requests,
    durationMs: Date.now() - started,
  });
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
  // Aired by the show's clock (language/airTime.ts: 20:00 in its origin country), not the UTC date.
  const airedBy = load.catalog ? showToday(load.catalog.facts, ctx.clock()) : today;
  return [...seasons].flatMap(([season, episodes]) => airedEpisodes(season, episodes, airedBy)).sort(compareEpisodes);
}

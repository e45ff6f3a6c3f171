import type { AppContext } from "../shared/app";
import { loadMovie, type MovieFacts } from "../cache/movieCache";
import { requireEpisode } from "../cache/requireEpisode";
import type { TvCache } from "../cache/tvCache";
import { answeredOrThrow, movieLabel, seasonLabel, showLabel } from "../cache/results";
import { notFound } from "../shared/errors";
import type { LibraryMedia, RateTarget } from "./schemas";

/** Checks through the global show cache that TMDB knows the show (stale facts are good enough). */
export async function requireShow(cache: Pick<TvCache, "getShow">, showId: number): Promise<void> {
  const show = answeredOrThrow(await cache.getShow(showId), showLabel(showId));
  if (show.facts.notFound) throw notFound(`Show ${showId} does not exist on TMDB`);
}

/** Checks through the global season cache that TMDB has this season. */
async function requireSeason(cache: Pick<TvCache, "load">, showId: number, season: number): Promise<void> {
  const { seasons } = await cache.load(showId, [season]);
  const result = answeredOrThrow(seasons.get(season), seasonLabel(showId, season));
  if (result.notFound) throw notFound(`Season ${season} of show ${showId} does not exist on TMDB`);
}

/** The movie's cached details (title, runtime, release date), or `not-found` when TMDB does not know it. */
export async function requireMovie(deps: Pick<AppContext, "db" | "tmdb" | "clock" | "config">, movieId: number): Promise<MovieFacts> {
  const result = answeredOrThrow(await loadMovie(deps, movieId), movieLabel(movieId));
  if (result.movie.notFound) throw notFound(`Movie ${movieId} does not exist on TMDB`);
  return result.movie;
}

type MediaDeps = Pick<AppContext, "db" | "tmdb" | "clock" | "config" | "cache">;

/** Whatever a watchlist entry or rating is about must exist on TMDB (checked through the global caches). */
export async function requireMedia(deps: MediaDeps, target: LibraryMedia | RateTarget): Promise<void> {
  switch (target.type) {
    case "movie":
      await requireMovie(deps, target.movieId);
      return;
    case "show":
      return requireShow(deps.cache, target.showId);
    case "season":
      return requireSeason(deps.cache, target.showId, target.season);
    case "episode":
      await requireEpisode(deps.cache, target);
      return;
  }
}

import type { AppContext } from "../app";
import { loadMovie } from "../cache/movieCache";
import { notFound, unavailable } from "../errors";
import { requireEpisode } from "../cache/requireEpisode";
import type { Media } from "./schemas";

/**
 * `not-found` unless TMDB knows the media: an episode through the season cache, a movie through
 * `tmdb_cache/movie/details`. Returns the TMDB calls it cost (none when the cache is warm).
 */
export async function requireMedia(ctx: Pick<AppContext, "db" | "tmdb" | "cache" | "clock" | "config">, media: Media): Promise<number> {
  if (media.type === "episode") return requireEpisode(ctx.cache, media);
  const before = ctx.tmdb.requestCount;
  const result = await loadMovie(ctx, media.movieId);
  if (result.state === "unavailable") throw result.error;
  if (result.state === "pending") throw unavailable(`Movie ${media.movieId} is being fetched from TMDB; try again shortly`);
  if (result.movie.notFound) throw notFound(`Movie ${media.movieId} does not exist on TMDB`);
  return ctx.tmdb.requestCount - before;
}

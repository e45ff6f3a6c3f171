import { metered, type AppContext } from "../shared/app";
import { loadMovie } from "../cache/movieCache";
import { requireEpisode } from "../cache/requireEpisode";
import { answeredOrThrow, movieLabel } from "../cache/results";
import { notFound } from "../shared/errors";
import type { Media } from "./schemas";

/**
 * `not-found` unless TMDB knows the media: an episode through the season cache, a movie through
 * `tmdb_cache/movie/details`. Returns the TMDB calls it cost (none when the cache is warm).
 */
export async function requireMedia(ctx: Pick<AppContext, "db" | "tmdb" | "cache" | "clock" | "config">, media: Media): Promise<number> {
  if (media.type === "episode") return requireEpisode(ctx.cache, media);
  const call = metered(ctx);
  const result = answeredOrThrow(await loadMovie(call, media.movieId), movieLabel(media.movieId));
  if (result.movie.notFound) throw notFound(`Movie ${media.movieId} does not exist on TMDB`);
  return call.meter.requests;
}

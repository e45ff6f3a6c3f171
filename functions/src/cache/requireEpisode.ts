import { notFound } from "../shared/errors";
import { answeredOrThrow, seasonLabel } from "./results";
import type { TvCache } from "./tvCache";

/**
 * Checks through the global season cache that TMDB has this episode (stale episodes are good enough
 * to say it exists). Returns the TMDB requests it cost, for logging.
 */
export async function requireEpisode(
  cache: Pick<TvCache, "load">,
  { showId, season, episode }: { showId: number; season: number; episode: number },
): Promise<number> {
  const { seasons, tmdbCalls } = await cache.load(showId, [season]);
  const result = answeredOrThrow(seasons.get(season), seasonLabel(showId, season));
  if (!result.episodes[String(episode)]) throw notFound(`Episode ${episode} of season ${season} of show ${showId} does not exist on TMDB`);
  return tmdbCalls;
}

import { notFound, unavailable } from "../errors";
import type { TvCache } from "./tvCache";

/**
 * Checks through the global season cache that TMDB has this episode (stale episodes are good enough
 * to say it exists). Returns the TMDB requests it cost, for logging.
 */
export async function requireEpisode(cache: Pick<TvCache, "load">, { showId, season, episode }: { showId: number; season: number; episode: number }): Promise<number> {
  const { seasons, tmdbCalls } = await cache.load(showId, [season]);
  const result = seasons.get(season) ?? { state: "pending" as const };
  if (result.state === "unavailable") throw result.error;
  if (result.state === "pending") throw unavailable(`Season ${season} of show ${showId} is being fetched from TMDB; try again shortly`);
  if (!result.episodes[String(episode)]) throw notFound(`Episode ${episode} of season ${season} of show ${showId} does not exist on TMDB`);
  return tmdbCalls;
}

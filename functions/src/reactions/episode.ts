import type { TvCache } from "../cache/tvCache";
import { notFound, unavailable } from "../errors";
import type { EpisodeRef } from "./documents";

/**
 * Reactions only exist for episodes TMDB knows, checked through the global season cache (one cache
 * read when the season is cached; stale episodes are good enough to say an episode exists).
 */
export async function requireEpisode(cache: Pick<TvCache, "getSeasonFromCacheOrTMDB">, { showId, season, episode }: EpisodeRef): Promise<void> {
  const result = await cache.getSeasonFromCacheOrTMDB(showId, season);
  if (result.state === "unavailable") throw result.error;
  if (result.state === "pending") {
    throw unavailable(`Season ${season} of show ${showId} is being fetched from TMDB; try again shortly`);
  }
  if (!result.episodes[String(episode)]) {
    throw notFound(`Episode ${episode} of season ${season} of show ${showId} does not exist on TMDB`);
  }
}

import type { SeasonEpisodes } from "../cache/documents";
import type { EpisodeRef } from "../tracking/episodeKeys";
import { episodesSinceReset } from "../tracking/showState";
import type { TrackingDoc } from "../tracking/trackingDoc";
import { episodesInAirOrder, findNextEpisode, pointerOf, type ShowCatalog } from "./counting";

const episodeNumbers = (episodes: SeasonEpisodes | undefined) =>
  Object.keys(episodes ?? {})
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 0)
    .sort((a, b) => a - b);

/**
 * The episode after `from` in air order, with counts from the cache: the next episode of its season,
 * else the first episode of the next regular season that has any, else null (the series is done).
 * Specials (season 0) lead into season 1; regular seasons never lead back into specials.
 */
export function nextInAirOrder(seasons: Map<number, SeasonEpisodes>, from: EpisodeRef): EpisodeRef | null {
  const nextInSeason = episodeNumbers(seasons.get(from.season)).find((n) => n > from.episode);
  if (nextInSeason !== undefined) return { season: from.season, episode: nextInSeason };
  const laterSeasons = [...seasons.keys()].filter((s) => s > 0 && s > from.season).sort((a, b) => a - b);
  for (const season of laterSeasons) {
    const first = episodeNumbers(seasons.get(season))[0];
    if (first !== undefined) return { season, episode: first };
  }
  return null;
}

/**
 * Where an advance starts: the stored pointer, or (no pointer yet, or the series was finished and
 * new episodes aired since) Trakt's "up next" among regular seasons. Null: nothing left to watch.
 */
export function advanceStart(tracking: TrackingDoc, catalog: ShowCatalog, today: string): EpisodeRef | null {
  const current = pointerOf(tracking.current);
  if (current) return current;
  const regular = [...catalog.seasons.keys()].filter((s) => s > 0).sort((a, b) => a - b);
  const next = findNextEpisode(episodesInAirOrder(catalog.seasons, regular), episodesSinceReset(tracking), today);
  return next ? { season: next.season, episode: next.episode } : null;
}

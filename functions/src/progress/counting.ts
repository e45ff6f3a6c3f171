import type { CachedEpisode, SeasonEpisodes, ShowFacts } from "../cache/documents";
import { hasAired } from "../shared/dates";
import { showToday } from "../language/airTime";
import { compareEpisodes, episodeKey, parseEpisodeKey, type EpisodeRef } from "../tracking/episodeKeys";
import { trackingSinceReset } from "../tracking/showState";
import type { TrackedEpisode, TrackingDoc } from "../tracking/trackingDoc";
import type { NextEpisode, ShowProgress } from "./schemas";

/** What TMDB knows about a show: its facts and the episodes of every season in scope. */
export interface ShowCatalog {
  facts: ShowFacts;
  seasons: Map<number, SeasonEpisodes>;
}

export interface CatalogEpisode extends EpisodeRef {
  name: string;
  airDate: string | null;
}

/** The seasons progress counts: the regular ones TMDB lists, plus season 0 on request. */
export function seasonsInScope(facts: ShowFacts, includeSpecials: boolean): number[] {
  return Object.keys(facts.seasons)
    .map(Number)
    .filter((season) => Number.isInteger(season) && (season > 0 || (includeSpecials && season === 0)))
    .sort((a, b) => a - b);
}

/** Every episode of the given seasons, in air order (season, then episode). */
export function episodesInAirOrder(seasons: Map<number, SeasonEpisodes>, inScope: number[]): CatalogEpisode[] {
  const ordered: CatalogEpisode[] = [];
  for (const season of inScope) {
    for (const [number, cached] of Object.entries(seasons.get(season) ?? {})) {
      const episode = Number(number);
      if (Number.isInteger(episode) && episode > 0) ordered.push(catalogEpisode(season, episode, cached));
    }
  }
  return ordered.sort(compareEpisodes);
}

const catalogEpisode = (season: number, episode: number, cached: CachedEpisode): CatalogEpisode => ({
  season,
  episode,
  name: cached.episodeName,
  airDate: cached.episodeAirDate,
});

export const isWatched = (episodes: Record<string, TrackedEpisode> | undefined, ref: EpisodeRef) =>
  episodes?.[episodeKey(ref.season, ref.episode)]?.watched === true;

/**
 * Trakt's "up next": the first aired episode after the last watched one (in air order) that is not
 * watched. Starts at the beginning when nothing is watched; null when caught up.
 */
export function findNextEpisode(
  ordered: CatalogEpisode[],
  episodes: Record<string, TrackedEpisode> | undefined,
  today: string,
): CatalogEpisode | null {
  let lastWatched = -1;
  ordered.forEach((episode, i) => {
    if (isWatched(episodes, episode)) lastWatched = i;
  });
  return ordered.slice(lastWatched + 1).find((episode) => hasAired(episode.airDate, today) && !isWatched(episodes, episode)) ?? null;
}

const millisOf = (value: unknown): number | undefined =>
  value && typeof (value as { toMillis?: unknown }).toMillis === "function" ? (value as { toMillis(): number }).toMillis() : undefined;

/**
 * When the user last watched something of the show: the document's `lastWatchedAt`, or (for documents
 * the client wrote without it) the latest `watchedAt` of a watched episode.
 */
export function lastWatchedMillis(doc: TrackingDoc): number | undefined {
  let latest = millisOf(doc.lastWatchedAt);
  for (const entry of Object.values(doc.episodes ?? {})) {
    const at = entry?.watched === true ? millisOf(entry.watchedAt) : undefined;
    if (at !== undefined && (latest === undefined || at > latest)) latest = at;
  }
  return latest;
}

/** "Newest activity first" orders the library by this: the latest watch or backend update. */
export function activityMillis(doc: TrackingDoc): number {
  return Math.max(lastWatchedMillis(doc) ?? 0, millisOf(doc.updatedAt) ?? 0);
}

export interface ProgressInput {
  showId: number;
  tracking: TrackingDoc;
  /** Null when TMDB data is not available: the answer then comes from the user's data alone. */
  catalog: ShowCatalog | null;
  /** The show's name, when the show facts are known even if some season is not. */
  name: string | null;
  today: string;
  /**
   * The moment of the answer: when given, "aired" follows the show's clock (language/airTime.ts: 20:00 in
   * its origin country) instead of `today`.
   */
  now?: Date;
  includeSpecials: boolean;
}

/**
 * Progress of one show, with Trakt's semantics (see `showProgressSchema`). Pure. After a reset
 * (`resetAt`, Trakt's `reset_at`) only plays after it count: counts, percent, label and up next restart.
 */
export function computeShowProgress(input: ProgressInput): ShowProgress {
  const { catalog, includeSpecials } = input;
  const today = catalog && input.now ? showToday(catalog.facts, input.now) : input.today;
  const tracking = trackingSinceReset(input.tracking);
  const lastWatched = lastWatchedMillis(tracking);
  const common = {
    showId: input.showId,
    name: catalog?.facts.name ?? input.name,
    lastWatchedAt: lastWatched === undefined ? null : new Date(lastWatched).toISOString(),
    current: pointerOf(tracking.current),
  };
  if (!catalog) return { ...common, ...countFromUserData(tracking, includeSpecials) };

  const inScope = seasonsInScope(catalog.facts, includeSpecials);
  const ordered = episodesInAirOrder(catalog.seasons, inScope);
  const perSeason = new Map(inScope.map((season) => [season, { season, aired: 0, completed: 0 }]));
  for (const episode of ordered) {
    if (!hasAired(episode.airDate, today)) continue;
    const counts = perSeason.get(episode.season) as { aired: number; completed: number };
    counts.aired++;
    if (isWatched(tracking.episodes, episode)) counts.completed++;
  }
  const seasons = [...perSeason.values()];
  const aired = seasons.reduce((sum, s) => sum + s.aired, 0);
  const completed = seasons.reduce((sum, s) => sum + s.completed, 0);
  const specials = includeSpecials ? (catalog.facts.seasons["0"]?.episodeCount ?? 0) : 0;
  const next = findNextEpisode(ordered, tracking.episodes, today);
  return {
    ...common,
    aired,
    completed,
    total: catalog.facts.numberOfEpisodes + specials,
    percent: aired === 0 ? 0 : Math.floor((100 * completed) / aired),
    label: `${completed}/${aired} episodes`,
    seasons,
    nextEpisode: next ? nextEpisodeOf(next) : null,
  };
}

/** TMDB data unknown: count the user's watched episodes, per season, and say nothing about the rest. */
function countFromUserData(tracking: TrackingDoc, includeSpecials: boolean) {
  const perSeason = new Map<number, number>();
  for (const [key, entry] of Object.entries(tracking.episodes ?? {})) {
    const ref = parseEpisodeKey(key);
    if (!ref || (ref.season === 0 && !includeSpecials) || entry?.watched !== true) continue;
    perSeason.set(ref.season, (perSeason.get(ref.season) ?? 0) + 1);
  }
  const completed = [...perSeason.values()].reduce((sum, n) => sum + n, 0);
  return {
    aired: null,
    completed,
    total: null,
    percent: null,
    label: `${completed} episodes`,
    seasons: [...perSeason].sort(([a], [b]) => a - b).map(([season, watched]) => ({ season, aired: null, completed: watched })),
    nextEpisode: null,
  };
}

const nextEpisodeOf = (episode: CatalogEpisode): NextEpisode => ({
  season: episode.season,
  episode: episode.episode,
  name: episode.name,
  airDate: episode.airDate,
});

/** The stored pointer, if it is a well-formed one (the document is also written by older clients). */
export function pointerOf(value: unknown): EpisodeRef | null {
  const pointer = value as Partial<EpisodeRef> | null | undefined;
  if (!pointer || !Number.isInteger(pointer.season) || !Number.isInteger(pointer.episode)) return null;
  return { season: pointer.season as number, episode: pointer.episode as number };
}

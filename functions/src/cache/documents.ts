import type { Firestore, Timestamp } from "firebase-admin/firestore";
import type { TmdbSeason, TmdbShow } from "../tmdb/schemas";
import type { CacheConfig } from "../shared/config";
import { isSeasonOngoing, isWithinTtl, ttlDays } from "./freshness";
import type { LockFields } from "./lock";

/** `tmdb_cache/tv/seasons/{showId}_{season}`: exactly these fields, nothing more (docs/API.md: Firestore paths). */
export interface CachedEpisode {
  episodeId: number;
  episodeName: string;
  episodeAirDate: string | null;
}
export type SeasonEpisodes = Record<string, CachedEpisode>;
export interface SeasonCacheDoc extends LockFields {
  episodes: SeasonEpisodes;
  /**
   * A negative-cache entry: TMDB's season does not fit in one document (Firestore's 1 MiB), so it is
   * refused (`failed-precondition`) with no episodes, and TMDB is asked again only after the ongoing TTL.
   */
  tooLarge?: true;
}

/** `tmdb_cache/tv/shows/{showId}`: show-level facts for totals, up next and whole-show marks. */
export interface ShowCacheDoc extends LockFields {
  name: string | null;
  showStatus: string | null;
  inProduction: boolean;
  numberOfSeasons: number;
  numberOfEpisodes: number;
  seasons: Record<string, { episodeCount: number; airDate: string | null }>;
  nextEpisodeToAir: { season: number; episode: number; airDate: string | null } | null;
  /** TMDB answered 404: cached so a bad id does not hit TMDB on every call. */
  notFound: boolean;
  /**
   * TMDB `origin_country` (ISO 3166-1): its first country's time zone sets when the show's episodes air
   * (language/airTime.ts). Absent from documents written before it existed: read as unknown.
   */
  originCountry?: string[];
}

export type ShowFacts = Omit<ShowCacheDoc, keyof LockFields>;

export const seasonDocId = (showId: number, season: number) => `${showId}_${season}`;
export const seasonRef = (db: Firestore, showId: number, season: number) =>
  db.collection("tmdb_cache").doc("tv").collection("seasons").doc(seasonDocId(showId, season));
export const showRef = (db: Firestore, showId: number) => db.collection("tmdb_cache").doc("tv").collection("shows").doc(String(showId));

/** Keeps only the three contract fields of each episode. */
export function seasonEpisodesFromTmdb(season: TmdbSeason | null): SeasonEpisodes {
  const episodes: SeasonEpisodes = {};
  for (const episode of season?.episodes ?? []) {
    episodes[String(episode.episode_number)] = {
      episodeId: episode.id,
      episodeName: episode.name,
      episodeAirDate: episode.air_date,
    };
  }
  return episodes;
}

/** No facts at all: every field present, so a document written with them keeps none of its old ones. */
export const NO_SHOW_FACTS: ShowFacts = {
  name: null,
  showStatus: null,
  inProduction: false,
  numberOfSeasons: 0,
  numberOfEpisodes: 0,
  seasons: {},
  nextEpisodeToAir: null,
  notFound: false,
  originCountry: [],
};

export function showFactsFromTmdb(show: TmdbShow | null): ShowFacts {
  if (!show) return { ...NO_SHOW_FACTS, notFound: true };
  const seasons: ShowFacts["seasons"] = {};
  for (const season of show.seasons) {
    seasons[String(season.season_number)] = { episodeCount: season.episode_count, airDate: season.air_date };
  }
  const next = show.next_episode_to_air;
  return {
    name: show.name,
    showStatus: show.status,
    inProduction: show.in_production,
    numberOfSeasons: show.number_of_seasons,
    numberOfEpisodes: show.number_of_episodes,
    seasons,
    nextEpisodeToAir: next ? { season: next.season_number, episode: next.episode_number, airDate: next.air_date } : null,
    notFound: false,
    originCountry: show.origin_country,
  };
}

export function isShowOngoing(facts: Pick<ShowFacts, "inProduction" | "nextEpisodeToAir" | "notFound">): boolean {
  return facts.notFound || facts.inProduction || facts.nextEpisodeToAir !== null;
}

type TtlConfig = Pick<CacheConfig, "ttlDays" | "ongoingTtlDays">;

/** Is the show document's content within its TTL (7 days when ongoing, else 30)? Locks are judged apart. */
export function isShowDocFresh(data: ShowCacheDoc, config: TtlConfig, now: Date): boolean {
  return isWithinTtl(data.lastUpdated.toDate(), ttlDays(isShowOngoing(data), config), now);
}

/** Is the season document's content within its TTL (7 days when the season looks ongoing, else 30)? */
export function isSeasonDocFresh(data: SeasonCacheDoc, config: TtlConfig, now: Date): boolean {
  return isWithinTtl(data.lastUpdated.toDate(), ttlDays(isSeasonOngoing(Object.values(data.episodes ?? {}), now), config), now);
}

/** The facts of a show document, defaulted field by field (documents written before a field existed). */
export function showFactsOf(data: ShowCacheDoc): ShowFacts {
  return {
    name: data.name ?? null,
    showStatus: data.showStatus ?? null,
    inProduction: data.inProduction ?? false,
    numberOfSeasons: data.numberOfSeasons ?? 0,
    numberOfEpisodes: data.numberOfEpisodes ?? 0,
    seasons: data.seasons ?? {},
    nextEpisodeToAir: data.nextEpisodeToAir ?? null,
    notFound: data.notFound ?? false,
    originCountry: data.originCountry ?? [],
  };
}

export type { Timestamp };

import pLimit from "p-limit";
import type { Firestore } from "firebase-admin/firestore";
import type { SeasonEpisodes } from "../cache/documents";
import type { NamesCache } from "../cache/namesCache";
import { readPreferences } from "./preferences";
import { DEFAULT_LANGUAGE } from "./tags";

/**
 * Names in a profile's language, for every domain that writes or answers names (progress, library,
 * calendar, iCal, alerts, shared messages). Each name is the translation when TMDB has a real one, else
 * the default-language name the caller already has (never a placeholder: namesCache.ts keeps none).
 */
export interface NameRequest {
  showId: number;
  /** Seasons whose episode names are needed. */
  seasons?: number[];
  /** Whether the show's own name is needed. */
  show?: boolean;
}

export interface NameBook {
  readonly language: string;
  /** The show's name in the language, else `fallback` (the default-language name). */
  show(showId: number, fallback: string | null): string | null;
  /** The episode's name in the language, else `fallback`. */
  episode<F extends string | null>(showId: number, season: number, episode: number, fallback: F): string | F;
  /** Every season of a show with its names overlaid (enrichment, catalogs). */
  seasonEpisodes(showId: number, season: number, episodes: SeasonEpisodes): SeasonEpisodes;
  /**
   * Whether the names cache could not answer now for the show's name (`season` omitted) or for a season's
   * names (another request holds their lock past the wait, or TMDB failed with nothing servable): the
   * fallback was used and a later call may get the translation. A caller that stores names (the library
   * summary) must not keep such a fallback as final. False for everything that was asked and loaded.
   */
  unloaded(showId: number, season?: number): boolean;
  readonly tmdbCalls: number;
  /** Name documents read (one batched read ahead; none in the default language). */
  readonly docsRead: number;
}

/** Shows whose names are loaded at once (each at most one TMDB request per 20 seasons when cold). */
const SHOW_CONCURRENCY = 8;

/** The default language: names are the §1 documents' as they are, and nothing is read. */
export const DEFAULT_NAMES: NameBook = {
  language: DEFAULT_LANGUAGE,
  show: (_showId, fallback) => fallback,
  episode: (_showId, _season, _episode, fallback) => fallback,
  seasonEpisodes: (_showId, _season, episodes) => episodes,
  unloaded: () => false,
  tmdbCalls: 0,
  docsRead: 0,
};

/** Overlays translated names on a season's cached episodes (episode ids and air dates stay). Pure. */
export function localizeSeasonEpisodes(episodes: SeasonEpisodes, names: Readonly<Record<string, string>> | undefined): SeasonEpisodes {
  if (!names || Object.keys(names).length === 0) return episodes;
  const out: SeasonEpisodes = {};
  for (const [number, episode] of Object.entries(episodes)) {
    const name = names[number];
    out[number] = name ? { ...episode, episodeName: name } : episode;
  }
  return out;
}

/**
 * `localizedNames`: the names of the requested shows and seasons in `language`, through the global names
 * cache (one TMDB request per show's missing seasons per language, shared by every user of it). Never
 * fails: a name the cache cannot give now is the default-language one.
 */
export async function localizedNames(
  names: Pick<NamesCache, "load" | "prefetch">,
  language: string,
  requests: NameRequest[],
): Promise<NameBook> {
  if (language === DEFAULT_LANGUAGE || requests.length === 0) return { ...DEFAULT_NAMES, language };
  const merged = new Map<number, { seasons: Set<number>; show: boolean }>();
  for (const { showId, seasons, show } of requests) {
    const entry = merged.get(showId) ?? { seasons: new Set<number>(), show: false };
    for (const season of seasons ?? []) entry.seasons.add(season);
    entry.show ||= show === true;
    merged.set(showId, entry);
  }
  // One read ahead for every show (warm: no other read, no TMDB call), then the cache's protocol per show.
  const prefetched = await names.prefetch(
    [...merged].map(([showId, wanted]) => ({ showId, seasons: [...wanted.seasons], show: wanted.show })),
    language,
  );
  const limit = pLimit(SHOW_CONCURRENCY);
  const shows = new Map<number, string>();
  const seasons = new Map<string, Record<string, string>>();
  /** `{showId}` (the show's name) and `{showId}_{season}` the cache could not answer now. */
  const unloaded = new Set<string>();
  let tmdbCalls = 0;
  await Promise.all(
    [...merged].map(([showId, wanted]) =>
      limit(async () => {
        const loaded = await names.load(showId, [...wanted.seasons], language, { includeShow: wanted.show, prefetched });
        tmdbCalls += loaded.tmdbCalls;
        if (loaded.show) shows.set(showId, loaded.show);
        for (const [season, byEpisode] of loaded.seasons) seasons.set(`${showId}_${season}`, byEpisode);
        // `missing`: -1 is the show's own name (cache/namesCache.ts), any other number a season.
        for (const season of loaded.missing) unloaded.add(season === -1 ? String(showId) : `${showId}_${season}`);
      }),
    ),
  );
  return {
    language,
    show: (showId, fallback) => shows.get(showId) ?? fallback,
    episode: (showId, season, episode, fallback) => seasons.get(`${showId}_${season}`)?.[String(episode)] ?? fallback,
    seasonEpisodes: (showId, season, episodes) => localizeSeasonEpisodes(episodes, seasons.get(`${showId}_${season}`)),
    unloaded: (showId, season) => unloaded.has(season === undefined ? String(showId) : `${showId}_${season}`),
    tmdbCalls,
    docsRead: prefetched.size,
  };
}

/** The profile's names for `requests`: its language read once, then `localizedNames`. */
export async function namesForUser(
  deps: { db: Firestore; cache: { names: Pick<NamesCache, "load" | "prefetch"> } },
  uid: string,
  requests: NameRequest[],
) {
  const { language } = await readPreferences(deps.db, uid);
  return localizedNames(deps.cache.names, language, requests);
}

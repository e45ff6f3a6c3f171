import type { SeasonEpisodes } from "../cache/documents";
import type { SeasonResult, TvCache } from "../cache/tvCache";
import { notFound, unavailable, type AppError } from "../errors";
import { parseEpisodeKey } from "../tracking/episodeKeys";
import type { TrackingDoc } from "../tracking/trackingDoc";
import { seasonsInScope, type ShowCatalog } from "./counting";

export interface CatalogLoad {
  /** Null when some of the show's TMDB data is not available right now, or TMDB does not know the show. */
  catalog: ShowCatalog | null;
  /** Known as soon as the show facts are, even when a season is not. */
  name: string | null;
  notFound: boolean;
  /** Why the catalog is missing (TMDB down, rate limited, or another request still populating it). */
  problem: AppError | null;
  tmdbCalls: number;
}

const stillPopulating = (showId: number) => unavailable(`TMDB data for show ${showId} is being fetched by another request; try again shortly`);

/** The seasons a user's document mentions: loading them with the show facts saves a round trip when cold. */
export function trackedSeasons(doc: TrackingDoc, includeSpecials: boolean): number[] {
  const seasons = new Set<number>();
  for (const key of Object.keys(doc.episodes ?? {})) {
    const ref = parseEpisodeKey(key);
    if (ref && (ref.season > 0 || includeSpecials)) seasons.add(ref.season);
  }
  return [...seasons];
}

/**
 * A show's facts and the episodes of every season in scope, through the global cache: the show
 * document with the seasons the user already tracks (one TMDB request when cold), then any other
 * season the show lists (one more request at most). Warm, it is two cache reads and no TMDB call.
 */
export async function loadShowCatalog(
  cache: Pick<TvCache, "load">,
  showId: number,
  options: { hintSeasons?: number[]; includeSpecials: boolean },
): Promise<CatalogLoad> {
  const first = await cache.load(showId, options.hintSeasons ?? [], { includeShow: true });
  let tmdbCalls = first.tmdbCalls;
  const show = first.show ?? { state: "pending" as const };
  const none = { catalog: null, name: null, notFound: false, tmdbCalls };
  if (show.state === "pending") return { ...none, problem: stillPopulating(showId) };
  if (show.state === "unavailable") return { ...none, problem: show.error };
  const { facts } = show;
  if (facts.notFound) return { ...none, notFound: true, problem: null };

  const inScope = seasonsInScope(facts, options.includeSpecials);
  const results = new Map<number, SeasonResult>(first.seasons);
  const missing = inScope.filter((season) => !results.has(season));
  if (missing.length > 0) {
    const second = await cache.load(showId, missing);
    tmdbCalls += second.tmdbCalls;
    for (const [season, result] of second.seasons) results.set(season, result);
  }

  const seasons = new Map<number, SeasonEpisodes>();
  for (const season of inScope) {
    const result = results.get(season) ?? { state: "pending" as const };
    if (result.state === "pending") return { catalog: null, name: facts.name, notFound: false, problem: stillPopulating(showId), tmdbCalls };
    if (result.state === "unavailable") return { catalog: null, name: facts.name, notFound: false, problem: result.error, tmdbCalls };
    seasons.set(season, result.episodes);
  }
  return { catalog: { facts, seasons }, name: facts.name, notFound: false, problem: null, tmdbCalls };
}

/** For the calls that cannot work without TMDB data (advancing the pointer): the catalog, or the reason why not. */
export function requireCatalog(load: CatalogLoad, showId: number): ShowCatalog {
  if (load.notFound) throw notFound(`Show ${showId} does not exist on TMDB`);
  if (!load.catalog) throw load.problem ?? stillPopulating(showId);
  return load.catalog;
}


import type { SeasonEpisodes } from "../cache/documents";
import type { SeasonResult, TvCache } from "../cache/tvCache";
import { cacheProblem, showLabel } from "../cache/results";
import { notFound, type AppError } from "../shared/errors";
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
 * `seasons` narrows the scope to those seasons, of which only the ones the show lists are loaded:
 * a season the show does not list costs no TMDB request and no cache document, and is absent from
 * the catalog.
 */
export async function loadShowCatalog(
  cache: Pick<TvCache, "load">,
  showId: number,
  options: { hintSeasons?: number[]; includeSpecials: boolean; seasons?: number[] },
): Promise<CatalogLoad> {
  const first = await cache.load(showId, options.hintSeasons ?? [], { includeShow: true });
  let tmdbCalls = first.tmdbCalls;
  const show = first.show;
  const none = { catalog: null, name: null, notFound: false, tmdbCalls };
  if (!show || show.state === "pending" || show.state === "unavailable") return { ...none, problem: cacheProblem(show, showLabel(showId)) };
  const { facts } = show;
  if (facts.notFound) return { ...none, notFound: true, problem: null };

  const listed = seasonsInScope(facts, options.includeSpecials);
  const inScope = options.seasons ? listed.filter((season) => options.seasons?.includes(season)) : listed;
  const results = new Map<number, SeasonResult>(first.seasons);
  const missing = inScope.filter((season) => !results.has(season));
  if (missing.length > 0) {
    const second = await cache.load(showId, missing);
    tmdbCalls += second.tmdbCalls;
    for (const [season, result] of second.seasons) results.set(season, result);
  }

  const seasons = new Map<number, SeasonEpisodes>();
  for (const season of inScope) {
    const result = results.get(season);
    if (!result || result.state === "pending" || result.state === "unavailable") {
      return { catalog: null, name: facts.name, notFound: false, problem: cacheProblem(result, showLabel(showId)), tmdbCalls };
    }
    seasons.set(season, result.episodes);
  }
  return { catalog: { facts, seasons }, name: facts.name, notFound: false, problem: null, tmdbCalls };
}

/** For the calls that cannot work without TMDB data (advancing the pointer): the catalog, or the reason why not. */
export function requireCatalog(load: CatalogLoad, showId: number): ShowCatalog {
  if (load.notFound) throw notFound(`Show ${showId} does not exist on TMDB`);
  if (!load.catalog) throw load.problem ?? cacheProblem(undefined, showLabel(showId));
  return load.catalog;
}

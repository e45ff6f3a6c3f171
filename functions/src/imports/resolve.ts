import type { AppContext } from "../app";
import { resolveExternalIds, resolveTitles } from "../history/lookups";
import type { EpisodeTarget, ImportRecord, MovieIds, ShowIds } from "./records";

/** An episode as TMDB numbers it. */
export interface TmdbEpisode {
  showId: number;
  season: number;
  episode: number;
}

/**
 * TMDB ids for everything a file names, looked up once per distinct id for the whole file through the
 * global lookup cache (one TMDB request per distinct id across all users; a title search only for
 * rows with no id).
 */
export interface ResolvedIds {
  show(ids: ShowIds | undefined): number | null;
  episode(target: EpisodeTarget): TmdbEpisode | null;
  movie(ids: MovieIds): number | null;
  /** Lookups TMDB could not answer right now (their rows are unmatched, the import still ends). */
  failed: number;
}

export type ResolveDeps = Pick<AppContext, "db" | "tmdb" | "config" | "clock">;

/**
 * Finds TMDB episodes by TVDB episode id (`/find?external_source=tvdb_id` → `tv_episode_results`).
 * Pluggable so the global `/find` cache can answer; the default knows none, and rows then fall back to
 * their show and numbers.
 */
export type EpisodeFinder = (deps: ResolveDeps, tvdbEpisodeIds: string[]) => Promise<Map<string, TmdbEpisode | null>>;
export type MovieFinder = (deps: ResolveDeps, refs: MovieIds[]) => Promise<Map<string, number | null>>;

const noEpisodes: EpisodeFinder = async () => new Map();
const noMovies: MovieFinder = async () => new Map();

export const showKey = (ids: ShowIds) => `${ids.tvdb ?? ""}|${ids.imdb ?? ""}|${ids.title ?? ""}`;
export const movieKey = (ids: MovieIds) => `${ids.imdb ?? ""}|${ids.title ?? ""}|${ids.year ?? ""}`;

function showsOf(record: ImportRecord): ShowIds[] {
  switch (record.kind) {
    case "episodePlay":
      return record.target.show ? [record.target.show] : [];
    case "episodePlayCount":
    case "showState":
      return [record.show];
    case "rating":
      return record.target.type === "movie" ? [] : [record.target.show];
    case "watchlist":
      return record.media.type === "show" ? [record.media.show] : [];
    default:
      return [];
  }
}

function moviesOf(record: ImportRecord): MovieIds[] {
  if (record.kind === "moviePlay") return [record.movie];
  if (record.kind === "rating" && record.target.type === "movie") return [record.target.movie];
  if (record.kind === "watchlist" && record.media.type === "movie") return [record.media.movie];
  return [];
}

export async function resolveIds(
  deps: ResolveDeps,
  records: ImportRecord[],
  finders: { episodes?: EpisodeFinder; movies?: MovieFinder } = {},
): Promise<ResolvedIds> {
  // Shows: TVDB/IMDb ids through /find, then a title search for those still unknown.
  const shows = new Map<string, ShowIds>();
  for (const record of records) for (const ids of showsOf(record)) if (!ids.tmdb) shows.set(showKey(ids), ids);
  const external = [...shows.values()].filter((ids) => ids.tvdb || ids.imdb);
  const { showIdOf, failed } = await resolveExternalIds(deps, external.map((ids) => ({ ...(ids.tvdb ? { tvdb: ids.tvdb } : {}), ...(ids.imdb ? { imdb: ids.imdb } : {}) })));
  const byKey = new Map<string, number | null>();
  for (const ids of shows.values()) byKey.set(showKey(ids), ids.tvdb || ids.imdb ? showIdOf({ tvdb: ids.tvdb, imdb: ids.imdb }) : null);
  const titled = [...shows.values()].filter((ids) => byKey.get(showKey(ids)) === null && ids.title);
  const titles = await resolveTitles(deps, titled.map((ids) => titleQuery(ids)));
  for (const ids of titled) byKey.set(showKey(ids), titles.get(titleQuery(ids)) ?? null);

  const episodeIds = [...new Set(records.flatMap((r) => (r.kind === "episodePlay" && r.target.tvdbEpisodeId ? [r.target.tvdbEpisodeId] : [])))];
  const episodes = await (finders.episodes ?? noEpisodes)(deps, episodeIds);
  const movieRefs = new Map<string, MovieIds>();
  for (const record of records) for (const ids of moviesOf(record)) if (!ids.tmdb) movieRefs.set(movieKey(ids), ids);
  const movies = await (finders.movies ?? noMovies)(deps, [...movieRefs.values()]);

  const show = (ids: ShowIds | undefined) => (!ids ? null : (ids.tmdb ?? byKey.get(showKey(ids)) ?? null));
  return {
    show,
    episode(target) {
      const found = target.tvdbEpisodeId ? episodes.get(target.tvdbEpisodeId) : undefined;
      if (found) return found;
      const showId = show(target.show);
      return showId !== null && target.season !== undefined && target.episode !== undefined ? { showId, season: target.season, episode: target.episode } : null;
    },
    movie: (ids) => ids.tmdb ?? movies.get(movieKey(ids)) ?? null,
    failed,
  };
}

/** A title as the search cache keys it: `Title (Year)` lets the cleaner use the year. */
const titleQuery = (ids: ShowIds) => (ids.year ? `${ids.title} (${ids.year})` : (ids.title ?? ""));

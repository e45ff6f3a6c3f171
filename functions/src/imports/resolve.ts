import type { AppContext } from "../shared/app";
import { findByExternalIds, type ExternalIdQuery, type ExternalMatch } from "../cache/lookups";
import { resolveExternalIds, resolveTitles } from "../cache/resolveIds";
import { findTvdbEpisodes } from "../cache/tvdbEpisodes";
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
 * Finds TMDB episodes by TVDB episode id (`/find?external_source=tvdb_id` → `tv_episode_results`)
 * and movies by IMDb id (`movie_results`). The defaults ask the global `/find` cache
 * (`cache/lookups.ts`: one TMDB request per distinct id across all users and kinds), episodes through
 * the per-show maps of `cache/tvdbEpisodes.ts` first (`showHints`: the TMDB shows the file names, whose
 * maps are read once each); a row whose episode id TMDB does not know falls back to its show and numbers.
 */
export type EpisodeFinder = (deps: ResolveDeps, tvdbEpisodeIds: string[], showHints: number[]) => Promise<FindResult<TmdbEpisode>>;
export type MovieFinder = (deps: ResolveDeps, imdbIds: string[]) => Promise<FindResult<number>>;

/** `found` maps every id TMDB answered (null: no match); ids TMDB could not be asked about right now are absent. */
export interface FindResult<T> {
  found: Map<string, T | null>;
  failed: number;
}

async function find<T>(deps: ResolveDeps, queries: ExternalIdQuery[], valueOf: (match: ExternalMatch) => T | null): Promise<FindResult<T>> {
  const outcomes = await findByExternalIds(deps, queries);
  const found = new Map<string, T | null>();
  let failed = 0;
  outcomes.forEach((outcome, i) => {
    if ("error" in outcome) failed++;
    else found.set(queries[i].id, outcome.match ? valueOf(outcome.match) : null);
  });
  return { found, failed };
}

export const cachedEpisodeFinder: EpisodeFinder = (deps, ids, showHints) => findTvdbEpisodes(deps, ids, showHints);
export const cachedMovieFinder: MovieFinder = (deps, ids) =>
  find(
    deps,
    ids.map((id) => ({ source: "imdb_id", id, kind: "movie" })),
    (m) => (m.kind === "movie" ? m.movieId : null),
  );

export const showKey = (ids: ShowIds) => `${ids.tvdb ?? ""}|${ids.imdb ?? ""}|${ids.title ?? ""}`;

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
  const { showIdOf, failed } = await resolveExternalIds(
    deps,
    external.map((ids) => ({ ...(ids.tvdb ? { tvdb: ids.tvdb } : {}), ...(ids.imdb ? { imdb: ids.imdb } : {}) })),
  );
  const byKey = new Map<string, number | null>();
  for (const ids of shows.values()) byKey.set(showKey(ids), ids.tvdb || ids.imdb ? showIdOf({ tvdb: ids.tvdb, imdb: ids.imdb }) : null);
  const titled = [...shows.values()].filter((ids) => byKey.get(showKey(ids)) === null && ids.title);
  const titles = await resolveTitles(
    deps,
    titled.map((ids) => titleQuery(ids)),
  );
  for (const ids of titled) byKey.set(showKey(ids), titles.get(titleQuery(ids)) ?? null);

  const episodeIds = [
    ...new Set(records.flatMap((r) => (r.kind === "episodePlay" && r.target.tvdbEpisodeId ? [r.target.tvdbEpisodeId] : []))),
  ];
  // The shows the file names (followed, rated, played) are where its episode ids most likely belong.
  const showHints = new Set<number>();
  for (const id of byKey.values()) if (id !== null) showHints.add(id);
  for (const record of records) for (const ids of showsOf(record)) if (ids.tmdb) showHints.add(ids.tmdb);
  const episodes = await (finders.episodes ?? cachedEpisodeFinder)(deps, episodeIds, [...showHints]);
  // Movies by IMDb id through /find; a movie with only a title and year stays unmatched (listed).
  const imdbIds = [...new Set(records.flatMap((record) => moviesOf(record).flatMap((ids) => (!ids.tmdb && ids.imdb ? [ids.imdb] : []))))];
  const movies = await (finders.movies ?? cachedMovieFinder)(deps, imdbIds);

  const show = (ids: ShowIds | undefined) => (!ids ? null : (ids.tmdb ?? byKey.get(showKey(ids)) ?? null));
  return {
    show,
    episode(target) {
      const found = target.tvdbEpisodeId ? episodes.found.get(target.tvdbEpisodeId) : undefined;
      if (found) return found;
      const showId = show(target.show);
      return showId !== null && target.season !== undefined && target.episode !== undefined
        ? { showId, season: target.season, episode: target.episode }
        : null;
    },
    movie: (ids) => ids.tmdb ?? (ids.imdb ? movies.found.get(ids.imdb) : null) ?? null,
    failed: failed + episodes.failed + movies.failed,
  };
}

/** A title as the search cache keys it: `Title (Year)` lets the cleaner use the year. */
const titleQuery = (ids: ShowIds) => (ids.year ? `${ids.title} (${ids.year})` : (ids.title ?? ""));

import { Timestamp, type Firestore } from "firebase-admin/firestore";
import type { AppContext } from "../shared/app";
import { AppError } from "../shared/errors";
import { logMovieFetchFailed, logMovieLockLost } from "../shared/logs";
import type { RequestMeter } from "../tmdb/client";
import type { TmdbMovie } from "../tmdb/schemas";
import { isSeasonOngoing, isServable, isWithinTtl, ttlDays } from "./freshness";
import { settleTargets, type CacheKind } from "./engine";
import { completeLock, releaseLock, type Lease, type LockFields } from "./lock";

/** `tmdb_cache/movie/details/{movieId}` (docs/API.md: Firestore paths), plus `notFound` as the show documents have it. */
export interface MovieFacts {
  title: string | null;
  runtimeMinutes: number | null;
  releaseDate: string | null;
  /** TMDB answered 404: cached so a bad id does not hit TMDB on every call. */
  notFound: boolean;
}
export interface MovieCacheDoc extends LockFields, MovieFacts {}

export type MovieResult =
  { state: "fresh" | "fetched" | "stale"; movie: MovieFacts } | { state: "pending" } | { state: "unavailable"; error: AppError };

export const movieRef = (db: Firestore, movieId: number) =>
  db.collection("tmdb_cache").doc("movie").collection("details").doc(String(movieId));

export function movieFactsFromTmdb(movie: TmdbMovie | null): MovieFacts {
  if (!movie) return { title: null, runtimeMinutes: null, releaseDate: null, notFound: true };
  return { title: movie.title, runtimeMinutes: movie.runtime, releaseDate: movie.release_date, notFound: false };
}

/** A movie may still change around its release (or has none yet): the ongoing TTL, like a season's. */
export const isMovieOngoing = (facts: MovieFacts, now: Date) =>
  facts.notFound || isSeasonOngoing([{ episodeAirDate: facts.releaseDate }], now);

const factsOf = (data: MovieCacheDoc): MovieFacts => ({
  title: data.title ?? null,
  runtimeMinutes: data.runtimeMinutes ?? null,
  releaseDate: data.releaseDate ?? null,
  notFound: data.notFound ?? false,
});

type MovieDeps = Pick<AppContext, "db" | "tmdb" | "clock" | "config"> & { meter?: RequestMeter };

const movieKind = (config: AppContext["config"]["cache"]): CacheKind<MovieCacheDoc> => ({
  isFresh: (data, now) => isWithinTtl(data.lastUpdated.toDate(), ttlDays(isMovieOngoing(factsOf(data), now), config), now),
  isServable: (data, now) => servable(data, now),
  lockedData,
});

/**
 * A movie's title, runtime and release date through the global cache, with the same lock engine as
 * the TV cache (`engine.ts`): one TMDB request per movie across all users, stale data served while it
 * is refreshed, a live lock waited on (listening) for at most `lockWaitMs`.
 */
export async function loadMovie(deps: MovieDeps, movieId: number): Promise<MovieResult> {
  const ref = movieRef(deps.db, movieId);
  const [answer] = await settleTargets<MovieCacheDoc, MovieResult>(
    { db: deps.db, config: deps.config.cache, clock: deps.clock },
    [{ ref, kind: movieKind(deps.config.cache) }],
    async ([{ index, lease }]) => new Map([[index, await fetchAndComplete(deps, movieId, lease)]]),
  );
  if (answer.state === "populated") return answer.result;
  if (answer.state === "pending") return answer;
  return { state: answer.state, movie: factsOf(answer.data) };
}

/** Stale-while-revalidate: old data that is still within TMDB's six months. */
const servable = (data: MovieCacheDoc, now: Date) =>
  (typeof data.title === "string" || data.notFound === true) && isServable(data.lastUpdated.toDate(), now);

function lockedData(previous: MovieCacheDoc | undefined, now: Date): MovieCacheDoc {
  const keep = previous?.status === "complete" && isServable(previous.lastUpdated.toDate(), now);
  const facts = keep ? factsOf(previous) : { title: null, runtimeMinutes: null, releaseDate: null, notFound: false };
  return { ...facts, lastUpdated: Timestamp.fromDate(now), status: "populating" };
}

async function fetchAndComplete(deps: MovieDeps, movieId: number, lease: Lease<MovieCacheDoc>): Promise<MovieResult> {
  try {
    const movie = movieFactsFromTmdb(await deps.tmdb.getMovie(movieId, deps.meter));
    const completed = await completeLock(lease, { ...movie, lastUpdated: Timestamp.fromDate(deps.clock()), status: "complete" });
    if (!completed) logMovieLockLost({ path: lease.ref.path, movieId });
    return { state: "fetched", movie };
  } catch (error) {
    // Nothing half-written stays behind, whatever went wrong.
    await releaseLock(lease);
    if (!(error instanceof AppError)) throw error;
    logMovieFetchFailed({ movieId, code: error.code, message: error.message });
    const previous = lease.previous;
    return previous?.status === "complete" && servable(previous, deps.clock())
      ? { state: "stale", movie: factsOf(previous) }
      : { state: "unavailable", error };
  }
}

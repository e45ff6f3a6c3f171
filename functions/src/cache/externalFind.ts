import { Timestamp, type DocumentSnapshot, type Firestore } from "firebase-admin/firestore";
import pLimit from "p-limit";
import type { AppContext } from "../app";
import { AppError } from "../errors";
import { logLookupFailed } from "../logs";
import { isServable, isWithinTtl, ttlDays } from "./freshness";
import { acquireLock, classifyCacheDoc, completeLock, needsTakeOver, releaseLock, type Lease, type LockFields } from "./lock";

/**
 * TMDB `/find` by an EPISODE's or a MOVIE's external id, cached globally beside the show lookups of
 * `history/lookups.ts` and under the same `populating` lock protocol (`cache/lock.ts`): one TMDB
 * request per distinct id across all users, concurrent imports included.
 *
 * `tmdb_cache/lookups/find/{tvdb|imdb}_episode_{id}` → `{ episode: {showId, season, episode} | null }`
 * `tmdb_cache/lookups/find/imdb_movie_{id}`          → `{ movieId: number | null }`
 * (`null` caches "TMDB has no such id"; like every lookup, a hit is fresh for CACHE_TTL_DAYS, a miss
 * for CACHE_ONGOING_TTL_DAYS, since TMDB may add it.)
 */
export interface FoundEpisode {
  showId: number;
  season: number;
  episode: number;
}

interface FindDoc<T> extends LockFields {
  /** What was asked, for operators: `tvdb_id:8123`. */
  query: string;
  found: T | null;
}

export type FindDeps = Pick<AppContext, "db" | "tmdb" | "config" | "clock">;

/** `found` maps every id TMDB answered (null: no match); ids TMDB failed for right now are absent. */
export interface FindResult<T> {
  found: Map<string, T | null>;
  failed: number;
}

const FIND_CONCURRENCY = 8;
const GET_ALL_CHUNK = 300;
const POLL_START_MS = 50;
const POLL_MAX_MS = 400;

const findRef = (db: Firestore, docId: string) => db.collection("tmdb_cache").doc("lookups").collection("find").doc(docId);

/** TMDB episodes by their tvdb (TV Time's `episode_id`) or imdb ids: `tv_episode_results[0]`. */
export function findEpisodes(deps: FindDeps, source: "tvdb_id" | "imdb_id", ids: string[]): Promise<FindResult<FoundEpisode>> {
  const prefix = source === "tvdb_id" ? "tvdb" : "imdb";
  return cachedFinds(deps, [...new Set(ids)], (id) => ({
    docId: `${prefix}_episode_${id}`,
    query: `${source}:${id}`,
    fetch: async () => {
      const hit = (await deps.tmdb.findByExternalId(id, source))?.tv_episode_results[0];
      return hit ? { showId: hit.show_id, season: hit.season_number, episode: hit.episode_number } : null;
    },
  }));
}

/** TMDB movie ids by imdb id: `movie_results[0]`. */
export function findMovies(deps: FindDeps, imdbIds: string[]): Promise<FindResult<number>> {
  return cachedFinds(deps, [...new Set(imdbIds)], (id) => ({
    docId: `imdb_movie_${id}`,
    query: `imdb_id:${id}`,
    fetch: async () => (await deps.tmdb.findByExternalId(id, "imdb_id"))?.movie_results[0]?.id ?? null,
  }));
}

/** A document id Firestore accepts for any external id (they are short digit or `tt…` strings). */
const safeId = (docId: string) => docId.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 400);

interface FindRequest<T> {
  docId: string;
  query: string;
  fetch: () => Promise<T | null>;
}

async function cachedFinds<T>(deps: FindDeps, ids: string[], requestOf: (id: string) => FindRequest<T>): Promise<FindResult<T>> {
  const found = new Map<string, T | null>();
  let failed = 0;
  const limit = pLimit(FIND_CONCURRENCY);
  for (let start = 0; start < ids.length; start += GET_ALL_CHUNK) {
    const chunk = ids.slice(start, start + GET_ALL_CHUNK);
    const requests = chunk.map(requestOf);
    const refs = requests.map((request) => findRef(deps.db, safeId(request.docId)));
    const snaps = await deps.db.getAll(...refs);
    const outcomes = await Promise.all(requests.map((request, i) => limit(() => findOne(deps, request, snaps[i]))));
    outcomes.forEach((outcome, i) => {
      if (outcome === "failed") failed++;
      else found.set(chunk[i], outcome.found);
    });
  }
  return { found, failed };
}

type Outcome<T> = { found: T | null } | "failed";

async function findOne<T>(deps: FindDeps, request: FindRequest<T>, first: DocumentSnapshot): Promise<Outcome<T>> {
  const { lockLeaseSeconds, lockWaitMs } = deps.config.cache;
  const isFresh = (data: FindDoc<T>, now: Date) => isWithinTtl(data.lastUpdated.toDate(), ttlDays(data.found === null, deps.config.cache), now);
  const deadline = Date.now() + lockWaitMs;
  let pollMs = POLL_START_MS;
  let snap = first;
  for (;;) {
    const now = deps.clock();
    const data = snap.exists ? (snap.data() as FindDoc<T>) : undefined;
    const state = classifyCacheDoc(data, isFresh, lockLeaseSeconds, now);
    if (state === "fresh" && data) return { found: data.found ?? null };
    if (needsTakeOver(state)) {
      const locked: FindDoc<T> = { found: data?.found ?? null, query: request.query, status: "populating", lastUpdated: Timestamp.fromDate(now) };
      const lease = await acquireLock(snap, locked);
      if (lease) return fetchAndComplete(deps, request, lease);
    }
    // Another request's live lock outlasted our wait: ask TMDB ourselves rather than drop the row.
    if (Date.now() >= deadline) return fetchOnly(request);
    if (state === "locked") {
      await new Promise((resolve) => setTimeout(resolve, pollMs));
      pollMs = Math.min(POLL_MAX_MS, pollMs * 2);
    }
    snap = await snap.ref.get();
  }
}

async function fetchAndComplete<T>(deps: FindDeps, request: FindRequest<T>, lease: Lease<FindDoc<T>>): Promise<Outcome<T>> {
  try {
    const found = await request.fetch();
    await completeLock(lease, { found, query: request.query, status: "complete", lastUpdated: Timestamp.fromDate(deps.clock()) });
    return { found };
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    await releaseLock(lease);
    const previous = lease.previous;
    // A stale answer beats none while TMDB is down (never past TMDB's six months).
    if (previous?.status === "complete" && isServable(previous.lastUpdated.toDate(), deps.clock())) return { found: previous.found ?? null };
    logLookupFailed({ query: request.query, code: error.code, message: error.message });
    return "failed";
  }
}

async function fetchOnly<T>(request: FindRequest<T>): Promise<Outcome<T>> {
  try {
    return { found: await request.fetch() };
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    logLookupFailed({ query: request.query, code: error.code, message: error.message });
    return "failed";
  }
}

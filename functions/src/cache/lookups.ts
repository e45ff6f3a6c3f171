import { Timestamp, type DocumentReference, type Firestore } from "firebase-admin/firestore";
import pLimit from "p-limit";
import type { AppContext } from "../shared/app";
import type { CacheConfig } from "../shared/config";
import { AppError, unavailable } from "../shared/errors";
import { logLookupFailed } from "../shared/logs";
import type { RequestMeter } from "../tmdb/client";
import type { TmdbFind, TmdbSearchTv } from "../tmdb/schemas";
import { settleTargets, type CacheKind } from "./engine";
import { isServable, isWithinTtl, ttlDays } from "./freshness";
import { completeLock, createLock, releaseLock, type Lease, type LockFields } from "./lock";

/**
 * `tmdb_cache/lookups/find/{tvdb|imdb}_{id}` and `tmdb_cache/lookups/search/{sha256(key)}`: what TMDB
 * answered for an external id or a cleaned title, shared by every user (like the season cache, and
 * under the same client-readable, never client-writable rules). `showId: null` caches "no match".
 * A find document keeps every kind of `/find` result (show, episode, movie): one TMDB request per
 * distinct external id, whatever kind of thing a caller is looking for.
 */
export interface LookupDoc extends LockFields {
  showId: number | null;
  /** What was asked, for operators: `tvdb_id:81189`, `the office|2005`. */
  query: string;
  /** Find documents only (absent on documents written before episodes and movies were resolved). */
  episode?: { showId: number; season: number; episode: number } | null;
  movieId?: number | null;
}

export const lookupRef = (db: Firestore, kind: "find" | "search", id: string) =>
  db.collection("tmdb_cache").doc("lookups").collection(kind).doc(id);

export type LookupDeps = Pick<AppContext, "db" | "tmdb" | "config" | "clock"> & {
  meter?: RequestMeter;
  /** The job (an import) the lookups' locks belong to: its retries take them over at once (lock.ts). */
  holder?: string;
};

export type ExternalSource = "tvdb_id" | "imdb_id";
export type ExternalKind = "show" | "episode" | "movie";
export interface ExternalIdQuery {
  source: ExternalSource;
  id: string;
  kind: ExternalKind;
}
export type ExternalMatch =
  | { kind: "show"; showId: number }
  | { kind: "episode"; showId: number; season: number; episode: number }
  | { kind: "movie"; movieId: number };

/** `error`: TMDB failed and nothing was cached; the caller counts the item as unresolved. */
export type FindOutcome = { match: ExternalMatch | null } | { match: null; error: AppError };
export type LookupOutcome = { showId: number | null } | { showId: null; error: AppError };

type FindFields = Pick<LookupDoc, "showId" | "episode" | "movieId">;

/** What a `/find` answer maps an external id to: its first show, episode and movie result. */
export function findFieldsOf(find: TmdbFind | null): Required<FindFields> {
  const episode = find?.tv_episode_results?.[0];
  return {
    showId: find?.tv_results[0]?.id ?? null,
    episode: episode ? { showId: episode.show_id, season: episode.season_number, episode: episode.episode_number } : null,
    movieId: find?.movie_results?.[0]?.id ?? null,
  };
}

/** The match of one kind in a find document (null: TMDB has none of that kind for the id). */
export function matchOf(kind: ExternalKind, fields: FindFields): ExternalMatch | null {
  if (kind === "show") return fields.showId === null ? null : { kind, showId: fields.showId };
  if (kind === "movie") return fields.movieId === null || fields.movieId === undefined ? null : { kind, movieId: fields.movieId };
  return fields.episode ? { kind, ...fields.episode } : null;
}

const LOOKUP_CONCURRENCY = 8;

/**
 * A lookup document kind: a hit stays fresh for `CACHE_TTL_DAYS`, a miss for `CACHE_ONGOING_TTL_DAYS`
 * (TMDB may add it). `complete` says whether a document answers this caller at all (find documents
 * written before episodes and movies were kept are refreshed once for those kinds).
 */
function lookupKind(
  config: CacheConfig,
  query: string,
  isMiss: (data: LookupDoc) => boolean,
  complete: (data: LookupDoc) => boolean,
): CacheKind<LookupDoc> {
  return {
    isFresh: (data, now) => complete(data) && isWithinTtl(data.lastUpdated.toDate(), ttlDays(isMiss(data), config), now),
    // A stale answer beats none after a failed refresh (never past TMDB's six months); a document
    // under somebody's lock is waited for, as it may not hold an answer yet.
    isServable: (data, now) => data.status === "complete" && complete(data) && isServable(data.lastUpdated.toDate(), now),
    lockedData: (previous, now) => ({
      ...(previous ?? { showId: null }),
      query,
      status: "populating",
      lastUpdated: Timestamp.fromDate(now),
    }),
  };
}

interface LookupRequest {
  ref: DocumentReference;
  kind: CacheKind<LookupDoc>;
  query: string;
  fetch: () => Promise<Omit<LookupDoc, "query" | keyof LockFields>>;
}

/**
 * Answers each request from its cache document, or asks TMDB under the lock engine, so concurrent
 * imports of the same id cost one TMDB call across all users. Each lookup is its own lock.
 * `assumeMissing`: the documents are expected not to exist (ids an import's per-show maps did not
 * answer): each is taken over by `create()` without reading it first, and read only when it exists.
 */
async function cachedLookups(
  deps: LookupDeps,
  requests: LookupRequest[],
  options: { assumeMissing?: boolean } = {},
): Promise<Array<LookupDoc | { error: AppError }>> {
  if (requests.length === 0) return [];
  const snaps = options.assumeMissing ? undefined : await deps.db.getAll(...requests.map((r) => r.ref));
  const limit = pLimit(LOOKUP_CONCURRENCY);
  const engine = { db: deps.db, config: deps.config.cache, clock: deps.clock, holder: deps.holder };
  return Promise.all(
    requests.map((request, i) =>
      limit(async () => {
        if (!snaps) {
          const locked = request.kind.lockedData(undefined, deps.clock());
          const lease = await createLock(request.ref, deps.holder === undefined ? locked : { ...locked, holder: deps.holder });
          if (lease) return fetchAndComplete(deps, request, lease);
        }
        const [answer] = await settleTargets<LookupDoc, LookupDoc | { error: AppError }>(
          engine,
          [{ ref: request.ref, kind: request.kind }],
          async ([{ lease }]) => new Map([[0, await fetchAndComplete(deps, request, lease)]]),
          snaps ? [snaps[i]] : undefined,
        );
        if (answer.state === "populated") return answer.result;
        if (answer.state === "pending") {
          const error = unavailable(`TMDB lookup ${request.query} is being made by another request; try again shortly`);
          logLookupFailed({ query: request.query, code: error.code, message: error.message });
          return { error };
        }
        return answer.data;
      }),
    ),
  );
}

async function fetchAndComplete(
  deps: LookupDeps,
  request: LookupRequest,
  lease: Lease<LookupDoc>,
): Promise<LookupDoc | { error: AppError }> {
  try {
    const doc: LookupDoc = {
      ...(await request.fetch()),
      query: request.query,
      status: "complete",
      lastUpdated: Timestamp.fromDate(deps.clock()),
    };
    await completeLock(lease, doc);
    return doc;
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    await releaseLock(lease);
    const previous = lease.previous;
    if (previous?.status === "complete" && request.kind.isServable(previous, deps.clock())) return previous;
    logLookupFailed({ query: request.query, code: error.code, message: error.message });
    return { error };
  }
}

const findDocId = (source: ExternalSource, id: string) => `${source === "tvdb_id" ? "tvdb" : "imdb"}_${id}`;

/**
 * The find documents answering `queries` (aligned with them; `error`: TMDB failed and nothing was
 * cached): one TMDB request per distinct id across all users and kinds, under the lock engine.
 */
export async function findDocuments(
  deps: LookupDeps,
  queries: ExternalIdQuery[],
  options: { assumeMissing?: boolean } = {},
): Promise<Array<LookupDoc | { error: AppError }>> {
  const distinct = new Map<string, ExternalIdQuery>();
  for (const query of queries) {
    const key = `${findDocId(query.source, query.id)}|${query.kind}`;
    if (!distinct.has(key)) distinct.set(key, query);
  }
  const keys = [...distinct.keys()];
  const outcomes = await cachedLookups(
    deps,
    [...distinct.values()].map(({ source, id, kind }) => {
      const query = `${source}:${id}`;
      return {
        ref: lookupRef(deps.db, "find", findDocId(source, id)),
        query,
        kind: lookupKind(
          deps.config.cache,
          query,
          (data) => matchOf(kind, data) === null,
          (data) => kind === "show" || data.movieId !== undefined,
        ),
        fetch: async () => findFieldsOf(await deps.tmdb.findByExternalId(id, source, deps.meter)),
      };
    }),
    options,
  );
  const byKey = new Map(keys.map((key, i) => [key, outcomes[i]]));
  return queries.map((query) => byKey.get(`${findDocId(query.source, query.id)}|${query.kind}`) as LookupDoc | { error: AppError });
}

/**
 * What TMDB's `/find` says each external id is, for the kind asked (a show, an episode, a movie):
 * one TMDB request per distinct id across all users and kinds, cached under the lock engine.
 */
export async function findByExternalIds(deps: LookupDeps, queries: ExternalIdQuery[]): Promise<FindOutcome[]> {
  const outcomes = await findDocuments(deps, queries);
  return queries.map((query, i) => {
    const outcome = outcomes[i];
    return "error" in outcome ? { match: null, error: outcome.error } : { match: matchOf(query.kind, outcome) };
  });
}

/** One external id (see `findByExternalIds`). */
export async function findByExternalId(deps: LookupDeps, query: ExternalIdQuery): Promise<FindOutcome> {
  const [outcome] = await findByExternalIds(deps, [query]);
  return outcome;
}

export interface TitleQuery {
  /** The cache key (`the office|2005`) and the document id derived from it. */
  key: string;
  docId: string;
  query: string;
  year?: number;
  /** Picks the show from TMDB's results (null: no convincing match). */
  pick: (results: TmdbSearchTv["results"]) => number | null;
}

/** TMDB show ids for cleaned titles: one `/search/tv` per distinct title ever, across all users. */
export async function searchShowsByTitle(deps: LookupDeps, titles: TitleQuery[]): Promise<LookupOutcome[]> {
  const outcomes = await cachedLookups(
    deps,
    titles.map((title) => ({
      ref: lookupRef(deps.db, "search", title.docId),
      query: title.key,
      kind: lookupKind(
        deps.config.cache,
        title.key,
        (data) => data.showId === null,
        () => true,
      ),
      fetch: async () => ({ showId: title.pick((await deps.tmdb.searchTv(title.query, title.year, deps.meter))?.results ?? []) }),
    })),
  );
  return outcomes.map((outcome) => ("error" in outcome ? { showId: null, error: outcome.error } : { showId: outcome.showId }));
}

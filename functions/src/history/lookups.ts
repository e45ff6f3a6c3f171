import { Timestamp, type DocumentReference, type DocumentSnapshot, type Firestore } from "firebase-admin/firestore";
import pLimit from "p-limit";
import type { AppContext } from "../app";
import { isServable, isWithinTtl, ttlDays } from "../cache/freshness";
import { acquireLock, classifyCacheDoc, completeLock, needsTakeOver, releaseLock, type Lease, type LockFields } from "../cache/lock";
import { AppError } from "../errors";
import { logLookupFailed } from "../logs";
import type { ShowRef } from "./traktItems";
import { cleanTitle, pickSearchResult, titleDocId, type CleanTitle } from "./titles";

/**
 * `tmdb_cache/lookups/find/{tvdb|imdb}_{id}` and `tmdb_cache/lookups/search/{sha256(key)}`: what TMDB
 * answered for an external id or a cleaned title, shared by every user (like the season cache, and
 * under the same client-readable, never client-writable rules). `showId: null` caches "no match".
 */
export interface LookupDoc extends LockFields {
  showId: number | null;
  /** What was asked, for operators: `tvdb_id:81189`, `the office|2005`. */
  query: string;
}

export const lookupRef = (db: Firestore, kind: "find" | "search", id: string) =>
  db.collection("tmdb_cache").doc("lookups").collection(kind).doc(id);

export type LookupDeps = Pick<AppContext, "db" | "tmdb" | "config" | "clock">;

export interface LookupRequest {
  ref: DocumentReference;
  query: string;
  fetch: () => Promise<number | null>;
}

/** `error`: TMDB failed and nothing was cached; the caller counts the item as unresolved. */
export type LookupOutcome = { showId: number | null } | { showId: null; error: AppError };

const LOOKUP_CONCURRENCY = 8;
const POLL_START_MS = 50;
const POLL_MAX_MS = 400;

/**
 * Answers each request from its cache document, or asks TMDB under the `populating` lock protocol of
 * `cache/lock.ts`, so concurrent imports of the same show cost one TMDB call. A hit stays fresh for
 * `CACHE_TTL_DAYS`, a miss for `CACHE_ONGOING_TTL_DAYS` (TMDB may add the show).
 */
export async function cachedLookups(deps: LookupDeps, requests: LookupRequest[]): Promise<LookupOutcome[]> {
  if (requests.length === 0) return [];
  const snaps = await deps.db.getAll(...requests.map((r) => r.ref));
  const limit = pLimit(LOOKUP_CONCURRENCY);
  return Promise.all(requests.map((request, i) => limit(() => lookupOne(deps, request, snaps[i]))));
}

async function lookupOne(deps: LookupDeps, request: LookupRequest, first: DocumentSnapshot): Promise<LookupOutcome> {
  const { lockLeaseSeconds, lockWaitMs } = deps.config.cache;
  const isFresh = (data: LookupDoc, now: Date) => isWithinTtl(data.lastUpdated.toDate(), ttlDays(data.showId === null, deps.config.cache), now);
  const deadline = Date.now() + lockWaitMs;
  let pollMs = POLL_START_MS;
  let snap = first;
  for (;;) {
    const now = deps.clock();
    const data = snap.exists ? (snap.data() as LookupDoc) : undefined;
    const state = classifyCacheDoc(data, isFresh, lockLeaseSeconds, now);
    if (state === "fresh" && data) return { showId: data.showId };
    if (needsTakeOver(state)) {
      const locked: LookupDoc = { showId: data?.showId ?? null, query: request.query, status: "populating", lastUpdated: Timestamp.fromDate(now) };
      const lease = await acquireLock(snap, locked);
      if (lease) return fetchAndComplete(deps, request, lease);
    }
    if (Date.now() >= deadline) {
      // Another request's live lock outlasted our wait: ask TMDB ourselves rather than drop the item.
      return fetchOnly(request);
    }
    if (state === "locked") {
      await new Promise((resolve) => setTimeout(resolve, pollMs));
      pollMs = Math.min(POLL_MAX_MS, pollMs * 2);
    }
    snap = await request.ref.get();
  }
}

async function fetchAndComplete(deps: LookupDeps, request: LookupRequest, lease: Lease<LookupDoc>): Promise<LookupOutcome> {
  try {
    const showId = await request.fetch();
    await completeLock(lease, { showId, query: request.query, status: "complete", lastUpdated: Timestamp.fromDate(deps.clock()) });
    return { showId };
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    await releaseLock(lease);
    const previous = lease.previous;
    // A stale answer beats none while TMDB is down (never past TMDB's six months).
    if (previous?.status === "complete" && isServable(previous.lastUpdated.toDate(), deps.clock())) return { showId: previous.showId };
    logLookupFailed({ query: request.query, code: error.code, message: error.message });
    return { showId: null, error };
  }
}

async function fetchOnly(request: LookupRequest): Promise<LookupOutcome> {
  try {
    return { showId: await request.fetch() };
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    logLookupFailed({ query: request.query, code: error.code, message: error.message });
    return { showId: null, error };
  }
}

type ExternalRef = Extract<ShowRef, { tvdb?: string }>;

/**
 * TMDB show ids for items that carry only external ids: `/find` by tvdb first, then by imdb for those
 * tvdb did not resolve. Returns a resolver (null = unresolved) and whether TMDB failed for any.
 */
export async function resolveExternalIds(deps: LookupDeps, refs: ExternalRef[]): Promise<{ showIdOf: (ref: ExternalRef) => number | null; failed: number }> {
  const found = new Map<string, number | null>();
  let failed = 0;
  const resolveAll = async (source: "tvdb_id" | "imdb_id", ids: string[]) => {
    const distinct = [...new Set(ids)].filter((id) => !found.has(`${source}:${id}`));
    const outcomes = await cachedLookups(
      deps,
      distinct.map((id) => ({
        ref: lookupRef(deps.db, "find", `${source === "tvdb_id" ? "tvdb" : "imdb"}_${id}`),
        query: `${source}:${id}`,
        fetch: async () => (await deps.tmdb.findByExternalId(id, source))?.tv_results[0]?.id ?? null,
      })),
    );
    outcomes.forEach((outcome, i) => {
      if ("error" in outcome) failed++;
      found.set(`${source}:${distinct[i]}`, outcome.showId);
    });
  };
  const viaTvdb = (ref: ExternalRef) => (ref.tvdb ? (found.get(`tvdb_id:${ref.tvdb}`) ?? null) : null);
  await resolveAll("tvdb_id", refs.flatMap((ref) => (ref.tvdb ? [ref.tvdb] : [])));
  await resolveAll("imdb_id", refs.flatMap((ref) => (ref.imdb && viaTvdb(ref) === null ? [ref.imdb] : [])));
  return {
    showIdOf: (ref) => viaTvdb(ref) ?? (ref.imdb ? (found.get(`imdb_id:${ref.imdb}`) ?? null) : null),
    failed,
  };
}

/** TMDB show ids for raw titles (cleaned first), one `/search/tv` per distinct cleaned title ever. */
export async function resolveTitles(deps: LookupDeps, rawTitles: string[]): Promise<Map<string, number | null>> {
  const byKey = new Map<string, CleanTitle>();
  const keyOf = new Map<string, string>();
  for (const raw of new Set(rawTitles)) {
    const clean = cleanTitle(raw);
    keyOf.set(raw, clean.key);
    if (clean.query && !byKey.has(clean.key)) byKey.set(clean.key, clean);
  }
  const cleaned = [...byKey.values()];
  const outcomes = await cachedLookups(
    deps,
    cleaned.map((clean) => ({
      ref: lookupRef(deps.db, "search", titleDocId(clean.key)),
      query: clean.key,
      fetch: async () => pickSearchResult(clean.query, (await deps.tmdb.searchTv(clean.query, clean.year))?.results ?? []),
    })),
  );
  const showIdByKey = new Map(cleaned.map((clean, i) => [clean.key, outcomes[i].showId]));
  return new Map([...keyOf].map(([raw, key]) => [raw, showIdByKey.get(key) ?? null]));
}

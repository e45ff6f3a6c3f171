import type { DocumentReference, DocumentSnapshot, Firestore, Timestamp } from "firebase-admin/firestore";
import pLimit from "p-limit";
import { isSeasonDocFresh, isShowDocFresh, seasonRef, showFactsOf, showRef, type SeasonCacheDoc, type ShowCacheDoc, type ShowFacts } from "../cache/documents";
import { ttlDays } from "../cache/freshness";
import { classifyCacheDoc } from "../cache/lock";
import type { CacheConfig } from "../config";
import { seasonsInScope, type ShowCatalog } from "./counting";

/** Documents per `getAll` call, and calls in flight: big enough for few round trips, small enough to stream. */
const READ_CHUNK = 100;
const READ_CONCURRENCY = 4;

/**
 * A show whose cache documents are all fresh: its catalog, or `notFound` when TMDB does not know it,
 * and `expiresAt` (ms): the first moment one of those documents stops being fresh by the cache's rules.
 */
export type WarmCatalog = ({ catalog: ShowCatalog } | { notFound: true }) & { expiresAt: number };

const DAY_MS = 86_400_000;

/**
 * When a fresh cache document stops being fresh: its freshness only changes at `lastUpdated` + one of
 * the two TTLs (a season's "ongoing" flips once, in between), so the first of those at which the
 * cache's own rule says stale.
 */
function freshUntil<T extends { lastUpdated: Timestamp }>(data: T, isFresh: (data: T, now: Date) => boolean, config: CacheConfig): number {
  const updated = data.lastUpdated.toMillis();
  const candidates = [ttlDays(true, config), ttlDays(false, config)].map((days) => updated + days * DAY_MS).sort((a, b) => a - b);
  return candidates.find((at) => !isFresh(data, new Date(at))) ?? candidates[candidates.length - 1];
}

export async function getAllChunked(db: Firestore, refs: DocumentReference[]): Promise<DocumentSnapshot[]> {
  const limit = pLimit(READ_CONCURRENCY);
  const chunks: DocumentReference[][] = [];
  for (let i = 0; i < refs.length; i += READ_CHUNK) chunks.push(refs.slice(i, i + READ_CHUNK));
  return (await Promise.all(chunks.map((chunk) => limit(() => db.getAll(...chunk))))).flat();
}

const showIsFresh = (config: CacheConfig, now: Date) => (data: ShowCacheDoc) =>
  classifyCacheDoc(data, (d, n) => isShowDocFresh(d, config, n), config.lockLeaseSeconds, now) === "fresh";

const seasonIsFresh = (config: CacheConfig, now: Date) => (data: SeasonCacheDoc) =>
  classifyCacheDoc(data, (d, n) => isSeasonDocFresh(d, config, n), config.lockLeaseSeconds, now) === "fresh";

/**
 * The read-only fast path of a library: every show document in one batched read, then every season
 * document those shows list in another, judged fresh by the cache's own rules. Shows with anything
 * missing, stale or locked are left out; the caller loads those through the cache (which may call
 * TMDB). A warm library of N shows costs two rounds of `getAll` and no TMDB call.
 */
export async function readWarmCatalogs(
  db: Firestore,
  config: CacheConfig,
  showIds: number[],
  includeSpecials: boolean,
  now: Date,
): Promise<Map<number, WarmCatalog>> {
  const warm = new Map<number, WarmCatalog>();
  const showSnaps = await getAllChunked(db, showIds.map((id) => showRef(db, id)));
  const freshShow = showIsFresh(config, now);
  const candidates: Array<{ showId: number; facts: ShowFacts; seasons: number[]; expiresAt: number }> = [];
  const showFresh = (data: ShowCacheDoc, at: Date) => isShowDocFresh(data, config, at);
  const seasonFresh = (data: SeasonCacheDoc, at: Date) => isSeasonDocFresh(data, config, at);
  showSnaps.forEach((snap, i) => {
    const data = snap.data() as ShowCacheDoc | undefined;
    if (!data || !freshShow(data)) return;
    const facts = showFactsOf(data);
    const expiresAt = freshUntil(data, showFresh, config);
    if (facts.notFound) warm.set(showIds[i], { notFound: true, expiresAt });
    else candidates.push({ showId: showIds[i], facts, seasons: seasonsInScope(facts, includeSpecials), expiresAt });
  });

  const seasonRefs = candidates.flatMap(({ showId, seasons }) => seasons.map((season) => seasonRef(db, showId, season)));
  const seasonSnaps = await getAllChunked(db, seasonRefs);
  const freshSeason = seasonIsFresh(config, now);
  let next = 0;
  for (const { showId, facts, seasons, expiresAt } of candidates) {
    const episodes = new Map<number, SeasonCacheDoc["episodes"]>();
    let until = expiresAt;
    for (const season of seasons) {
      const data = seasonSnaps[next++].data() as SeasonCacheDoc | undefined;
      if (!data || !freshSeason(data)) continue;
      episodes.set(season, data.episodes ?? {});
      until = Math.min(until, freshUntil(data, seasonFresh, config));
    }
    if (episodes.size === seasons.length) warm.set(showId, { catalog: { facts, seasons: episodes }, expiresAt: until });
  }
  return warm;
}

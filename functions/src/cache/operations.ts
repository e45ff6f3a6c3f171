import { FieldPath, Timestamp, type DocumentSnapshot, type Firestore } from "firebase-admin/firestore";
import type { CacheConfig } from "../shared/config";
import { getAllChunked } from "../shared/firestore";
import { lostRace } from "../shared/firestoreErrors";
import {
  isSeasonDocFresh,
  isShowDocFresh,
  seasonRef,
  showFactsOf,
  showRef,
  type SeasonCacheDoc,
  type SeasonEpisodes,
  type ShowCacheDoc,
  type ShowFacts,
} from "./documents";
import { isLockAbandoned, ttlDays } from "./freshness";
import { classifyCacheDoc, type LockFields } from "./lock";

/**
 * What the nightly job and the library do with `tmdb_cache` besides loading through the lock engine:
 * read fresh documents without locking, list what is cached or expired, mark documents stale, and
 * check that locks have settled. Everything that touches the collection lives in `cache/`.
 */

/** `tmdb_cache/tv/seasons`. */
const seasonsCollection = (db: Firestore) => seasonRef(db, 1, 0).parent;

// ---- read fresh, without locking -------------------------------------------------------------------

const DAY_MS = 86_400_000;

/**
 * When a fresh cache document stops being fresh (ms): its freshness only changes at `lastUpdated` +
 * one of the two TTLs (a season's "ongoing" flips once, in between), so the first of those at which
 * the cache's own rule says stale.
 */
export function freshUntil<T extends { lastUpdated: Timestamp }>(
  data: T,
  isFresh: (data: T, now: Date) => boolean,
  config: CacheConfig,
): number {
  const updated = data.lastUpdated.toMillis();
  const candidates = [ttlDays(true, config), ttlDays(false, config)].map((days) => updated + days * DAY_MS).sort((a, b) => a - b);
  return candidates.find((at) => !isFresh(data, new Date(at))) ?? candidates[candidates.length - 1];
}

/** A document read fresh: its content, and until when (ms) it stays fresh. */
export interface Fresh<T> {
  value: T;
  freshUntil: number;
}

/** The show facts of every show whose document is fresh (by the cache's own rules); others are absent. */
export async function readFreshShows(
  db: Firestore,
  config: CacheConfig,
  showIds: number[],
  now: Date,
): Promise<Map<number, Fresh<ShowFacts>>> {
  const snaps = await getAllChunked(
    db,
    showIds.map((id) => showRef(db, id)),
  );
  const isFresh = (data: ShowCacheDoc, at: Date) => isShowDocFresh(data, config, at);
  const fresh = new Map<number, Fresh<ShowFacts>>();
  snaps.forEach((snap, i) => {
    const data = snap.data() as ShowCacheDoc | undefined;
    if (data && classifyCacheDoc(data, isFresh, config.lockLeaseSeconds, now) === "fresh") {
      fresh.set(showIds[i], { value: showFactsOf(data), freshUntil: freshUntil(data, isFresh, config) });
    }
  });
  return fresh;
}

/**
 * The episodes of every requested season whose document is fresh, in request order (undefined where
 * not fresh). A season refused as too big is not served here: loading it answers the refusal.
 */
export async function readFreshSeasons(
  db: Firestore,
  config: CacheConfig,
  seasons: Array<{ showId: number; season: number }>,
  now: Date,
): Promise<Array<Fresh<SeasonEpisodes> | undefined>> {
  const snaps = await getAllChunked(
    db,
    seasons.map(({ showId, season }) => seasonRef(db, showId, season)),
  );
  const isFresh = (data: SeasonCacheDoc, at: Date) => isSeasonDocFresh(data, config, at);
  return snaps.map((snap) => {
    const data = snap.data() as SeasonCacheDoc | undefined;
    if (!data || data.tooLarge || classifyCacheDoc(data, isFresh, config.lockLeaseSeconds, now) !== "fresh") return undefined;
    return { value: data.episodes ?? {}, freshUntil: freshUntil(data, isFresh, config) };
  });
}

/**
 * The episodes each season document holds now, fresh or not (empty where there is none), without a
 * lock or a TMDB call: for labels (an export's episode ids), never for deciding what exists.
 */
export async function readCachedEpisodes(db: Firestore, seasons: Array<{ showId: number; season: number }>): Promise<SeasonEpisodes[]> {
  const snaps = await getAllChunked(
    db,
    seasons.map(({ showId, season }) => seasonRef(db, showId, season)),
  );
  return snaps.map((snap) => (snap.data() as Partial<SeasonCacheDoc> | undefined)?.episodes ?? {});
}

// ---- the nightly job: list, expire, mark stale, settle ---------------------------------------------

/** One cached document as read, with the version a later conditional write is checked against. */
export interface CachedDoc {
  snap: DocumentSnapshot;
}

/** A show's cached season documents (`{show}_` … `{show}_\uf8ff`) and its show document, if any. */
export async function readCachedShow(
  db: Firestore,
  showId: number,
): Promise<{ seasons: Array<{ season: number } & CachedDoc>; show: CachedDoc | null }> {
  const prefix = `${showId}_`;
  const [snaps, showSnap] = await Promise.all([
    seasonsCollection(db).orderBy(FieldPath.documentId()).startAt(prefix).endAt(`${prefix}\uf8ff`).get(),
    showRef(db, showId).get(),
  ]);
  const seasons = snaps.docs.flatMap((snap) => {
    const season = Number(snap.id.slice(prefix.length));
    return Number.isSafeInteger(season) && season >= 0 ? [{ season, snap }] : [];
  });
  return { seasons, show: showSnap.exists ? { snap: showSnap } : null };
}

/**
 * Back-dates a complete cache document's `lastUpdated` to `markFor(lastUpdated)` (null: leave it) if
 * it is still the version read; a populating document is being refreshed right now and is left alone.
 * Returns whether it was written.
 */
export async function markStale({ snap }: CachedDoc, markFor: (lastUpdated: Date) => Date | null): Promise<boolean> {
  const data = snap.data() as Partial<LockFields> | undefined;
  if (data?.status !== "complete" || !(data.lastUpdated instanceof Timestamp)) return false;
  const mark = markFor(data.lastUpdated.toDate());
  if (!mark) return false;
  try {
    await snap.ref.update({ lastUpdated: Timestamp.fromDate(mark) }, { lastUpdateTime: snap.updateTime as Timestamp });
    return true;
  } catch (error) {
    if (lostRace(error)) return false; // someone took its lock or refreshed it since we read it
    throw error;
  }
}

/** TTL mode: the season is past its TTL (or its lock was abandoned) and nobody holds it now. */
export function isSeasonExpired({ snap }: CachedDoc, config: CacheConfig, now: Date): boolean {
  const data = snap.data() as SeasonCacheDoc | undefined;
  if (!data || !(data.lastUpdated instanceof Timestamp)) return false;
  const state = classifyCacheDoc(data, (d, n) => isSeasonDocFresh(d, config, n), config.lockLeaseSeconds, now);
  return state === "stale" || state === "abandoned";
}

export interface ExpiredCursor {
  lastUpdated: Timestamp;
  id: string;
}

/** One page of season documents older than the shortest TTL, oldest first: their shows, and where to go on. */
export async function listExpiredSeasonShows(
  db: Firestore,
  config: CacheConfig,
  now: Date,
  after: ExpiredCursor | null,
  pageSize: number,
): Promise<{ showIds: number[]; next: ExpiredCursor | null }> {
  const cutoff = Timestamp.fromMillis(now.getTime() - Math.min(config.ttlDays, config.ongoingTtlDays) * 86_400_000);
  let query = seasonsCollection(db).where("lastUpdated", "<", cutoff).orderBy("lastUpdated").orderBy(FieldPath.documentId());
  if (after) query = query.startAfter(after.lastUpdated, after.id);
  const page = await query.select("lastUpdated").limit(pageSize).get();
  const showIds = [...new Set(page.docs.map((doc) => Number(doc.id.split("_")[0])).filter((id) => Number.isSafeInteger(id) && id > 0))];
  const last = page.docs[page.size - 1];
  return { showIds, next: page.size < pageSize ? null : { lastUpdated: last.get("lastUpdated") as Timestamp, id: last.id } };
}

/**
 * Have these documents settled since `since`: each completed at or after it, or held by a live lock
 * (somebody is refreshing it now)? A document missing, stale or under an abandoned lock has not.
 */
export async function settledSince(
  db: Firestore,
  config: CacheConfig,
  now: Date,
  showId: number,
  targets: { seasons: number[]; show: boolean },
  since: Date,
): Promise<boolean> {
  const refs = targets.seasons.map((season) => seasonRef(db, showId, season));
  if (targets.show) refs.push(showRef(db, showId));
  if (refs.length === 0) return true;
  const snaps = await db.getAll(...refs);
  return snaps.every((snap) => {
    const data = snap.data() as Partial<LockFields> | undefined;
    if (!data?.lastUpdated) return false;
    if (data.status === "complete") return data.lastUpdated.toMillis() >= since.getTime();
    return !isLockAbandoned(data.lastUpdated.toDate(), config.lockLeaseSeconds, now);
  });
}

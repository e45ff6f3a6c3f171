import {
  FieldValue,
  type DocumentData,
  type DocumentReference,
  type DocumentSnapshot,
  type Firestore,
  type Timestamp,
} from "firebase-admin/firestore";
import { isUnknownOutcome, lostRace } from "../shared/firestoreErrors";
import { isLockAbandoned } from "./freshness";

/**
 * The `"populating"` lock protocol shared by every `tmdb_cache` document (docs/API.md: Firestore paths):
 * - a missing, stale or abandoned document is taken over atomically: `create()` for a missing one,
 *   an `update()` preconditioned on the exact version we read for the others. Two requests can never
 *   both win, and unlike a read-write transaction nobody waits on anybody else's lock;
 * - the winner writes `status: "populating"` and `lastUpdated` = the moment of the take-over; while
 *   that lock is younger than the lease nobody else calls TMDB for the document;
 * - the holder completes (or, on failure, restores) the document only if it is still exactly the
 *   version it wrote, so a holder whose lease ran out never overwrites its successor;
 * - a lock may name its holder (`holder`: a token stable across retries of one job, e.g. a nightly
 *   refresh task or an import): a retry of that job takes its own lock over at once instead of waiting
 *   out the lease; everybody else still waits. The field exists only while the document is `populating`.
 */
export interface LockFields {
  status: "complete" | "populating";
  lastUpdated: Timestamp;
  holder?: string;
}

export type CacheDocState = "fresh" | "missing" | "stale" | "abandoned" | "locked";

export function classifyCacheDoc<T extends LockFields>(
  data: T | undefined,
  isFresh: (data: T, now: Date) => boolean,
  leaseSeconds: number,
  now: Date,
): CacheDocState {
  if (!data) return "missing";
  if (data.status === "populating") {
    return isLockAbandoned(data.lastUpdated.toDate(), leaseSeconds, now) ? "abandoned" : "locked";
  }
  return isFresh(data, now) ? "fresh" : "stale";
}

export function needsTakeOver(state: CacheDocState): boolean {
  return state === "missing" || state === "stale" || state === "abandoned";
}

export interface Lease<T extends LockFields> {
  ref: DocumentReference;
  /** The update time of the lock we wrote: the version every later write of ours is conditioned on. */
  version: Timestamp;
  previous: T | undefined;
}

/**
 * Cache documents are written whole, field by field: every key is a top-level field. An update that does
 * not name a holder removes the one a lock had, so a completed or restored document is back to its shape.
 */
const fields = (data: LockFields): DocumentData => ({ ...data, ...(data.holder === undefined ? { holder: FieldValue.delete() } : {}) });
const created = (data: LockFields): DocumentData => ({ ...data });

/** Is this a live lock of `holder` itself (a retry of the job that took it)? */
export const heldBy = (data: Partial<LockFields> | undefined, holder: string | undefined): boolean =>
  holder !== undefined && data?.status === "populating" && data.holder === holder;

/**
 * Takes over the document read as `snap` if it is still that exact version. Returns null when
 * another request got there first.
 */
export async function acquireLock<T extends LockFields>(snap: DocumentSnapshot, lockedData: T): Promise<Lease<T> | null> {
  const previous = snap.exists ? (snap.data() as T) : undefined;
  try {
    const result = snap.exists
      ? await snap.ref.update(fields(lockedData), { lastUpdateTime: snap.updateTime as Timestamp })
      : await snap.ref.create(created(lockedData));
    return { ref: snap.ref, version: result.writeTime, previous };
  } catch (error) {
    if (lostRace(error)) return null;
    if (isUnknownOutcome(error)) return (await leasesIfOurs(snap.ref.firestore, [{ ref: snap.ref, previous, lockedData }]))?.[0] ?? null;
    throw error;
  }
}

/**
 * Takes a document nobody has read over as if it were missing: `create()`, which only one request can
 * win. For a caller that expects the document not to exist yet (an import's ids its per-show maps did
 * not answer are nearly always new): a cold id costs no read. Null when the document exists (or another
 * request created it first): the caller reads it and goes the usual way.
 */
export async function createLock<T extends LockFields>(ref: DocumentReference, lockedData: T): Promise<Lease<T> | null> {
  try {
    const result = await ref.create(created(lockedData));
    return { ref, version: result.writeTime, previous: undefined };
  } catch (error) {
    if (lostRace(error)) return null;
    if (isUnknownOutcome(error)) return (await leasesIfOurs(ref.firestore, [{ ref, previous: undefined, lockedData }]))?.[0] ?? null;
    throw error;
  }
}

/**
 * Takes over several documents read as `items[].snap` in one atomic commit: all of them if every one
 * is still the version read, none (null) if another request wrote any of them first. So one request
 * holds a whole set (a show's missing seasons) and two requests can never split it between them.
 */
export async function acquireLocks<T extends LockFields>(
  db: Firestore,
  items: Array<{ snap: DocumentSnapshot; lockedData: T }>,
): Promise<Array<Lease<T>> | null> {
  const batch = db.batch();
  for (const { snap, lockedData } of items) {
    if (snap.exists) batch.update(snap.ref, fields(lockedData), { lastUpdateTime: snap.updateTime as Timestamp });
    else batch.create(snap.ref, created(lockedData));
  }
  const taken = items.map(({ snap, lockedData }) => ({
    ref: snap.ref,
    previous: snap.exists ? (snap.data() as T) : undefined,
    lockedData,
  }));
  try {
    const results = await batch.commit();
    return taken.map(({ ref, previous }, i) => ({ ref, version: results[i].writeTime, previous }));
  } catch (error) {
    if (lostRace(error)) return null;
    if (isUnknownOutcome(error)) return leasesIfOurs(db, taken);
    throw error;
  }
}

/**
 * After a take-over commit whose outcome is unknown (the emulator answers UNKNOWN under contention): the
 * leases if every document now holds exactly the lock we tried to write (its take-over time is ours),
 * otherwise null, as for a lost race. Either way the caller's loop goes on from the truth.
 */
async function leasesIfOurs<T extends LockFields>(
  db: Firestore,
  items: Array<{ ref: DocumentReference; previous: T | undefined; lockedData: T }>,
): Promise<Array<Lease<T>> | null> {
  const now = await db.getAll(...items.map(({ ref }) => ref));
  const ours = now.every((doc, i) => {
    const data = doc.data() as LockFields | undefined;
    return data?.status === "populating" && data.lastUpdated.isEqual(items[i].lockedData.lastUpdated);
  });
  if (!ours) return null;
  return items.map(({ ref, previous }, i) => ({ ref, version: now[i].updateTime as Timestamp, previous }));
}

/** Writes the completed document if the lock is still ours; returns false if it was lost. */
export async function completeLock<T extends LockFields>(lease: Lease<T>, data: T): Promise<boolean> {
  try {
    await lease.ref.update(fields(data), { lastUpdateTime: lease.version });
    return true;
  } catch (error) {
    if (lostRace(error)) return false;
    if (isUnknownOutcome(error)) {
      // Completed if the document now carries our completion time; otherwise the lock is not ours any more.
      const now = (await lease.ref.get()).data() as LockFields | undefined;
      return now?.status === "complete" && now.lastUpdated.isEqual(data.lastUpdated);
    }
    throw error;
  }
}

/**
 * Completes several leases in one atomic commit, so whoever waits on them sees them settle together
 * (`waitUntilUnlocked` listens to one of them). If any lock is no longer ours the commit is refused
 * whole, and each is then completed on its own (a lost one stays lost). Answers, per lease, whether it
 * was completed.
 */
export async function completeLocks<T extends LockFields>(db: Firestore, items: Array<{ lease: Lease<T>; data: T }>): Promise<boolean[]> {
  if (items.length <= 1) return Promise.all(items.map(({ lease, data }) => completeLock(lease, data)));
  const batch = db.batch();
  for (const { lease, data } of items) batch.update(lease.ref, fields(data), { lastUpdateTime: lease.version });
  try {
    await batch.commit();
    return items.map(() => true);
  } catch (error) {
    if (!lostRace(error) && !isUnknownOutcome(error)) throw error;
    if (isUnknownOutcome(error)) {
      // All or nothing: completed if every document now carries our completion time.
      const now = await db.getAll(...items.map(({ lease }) => lease.ref));
      const ours = now.every((doc, i) => {
        const data = doc.data() as LockFields | undefined;
        return data?.status === "complete" && data.lastUpdated.isEqual(items[i].data.lastUpdated);
      });
      if (ours) return items.map(() => true);
    }
    return Promise.all(items.map(({ lease, data }) => completeLock(lease, data)));
  }
}

/**
 * Gives a lock back after a failed fetch: the previous complete document is restored exactly (so its
 * stale data stays servable and still looks stale); a document we created is deleted. Nothing
 * half-written is left behind.
 */
export async function releaseLock<T extends LockFields>(lease: Lease<T>): Promise<void> {
  try {
    if (lease.previous?.status === "complete") await lease.ref.update(fields(lease.previous), { lastUpdateTime: lease.version });
    else await lease.ref.delete({ lastUpdateTime: lease.version });
  } catch (error) {
    // Lost, or unknown: either way the lease runs out and the lock is taken over then.
    if (!lostRace(error) && !isUnknownOutcome(error)) throw error;
  }
}

import { randomInt } from "node:crypto";
import { Timestamp, type DocumentReference, type Firestore } from "firebase-admin/firestore";
import { isLockAbandoned } from "./freshness";

/**
 * The `"populating"` lock protocol shared by every `tmdb_cache` document (CONTRACT §1):
 * - a missing, stale or abandoned document is taken over in a transaction, which writes
 *   `status: "populating"` and `lastUpdated` = the moment of the take-over;
 * - while that lock is younger than the lease nobody else calls TMDB for the document;
 * - the holder completes it only if it still holds the lock (the exact `lastUpdated` it wrote is its
 *   token), or on failure puts back what was there before.
 */
export interface LockFields {
  status: "complete" | "populating";
  lastUpdated: Timestamp;
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

/**
 * A lock token: the take-over time with random microseconds, so two holders that lock in the same
 * millisecond still hold different tokens (Firestore keeps microseconds).
 */
export function newLockToken(now: Date): Timestamp {
  const base = Timestamp.fromMillis(now.getTime());
  return new Timestamp(base.seconds, base.nanoseconds + randomInt(0, 1000) * 1000);
}

export interface LockTarget<T extends LockFields> {
  ref: DocumentReference;
  isFresh(data: T, now: Date): boolean;
  /** What the document holds while locked: the lock fields plus any stale data readers may still serve. */
  lockedData(previous: T | undefined, token: Timestamp, now: Date): T;
}

export interface Lease<T extends LockFields> {
  ref: DocumentReference;
  token: Timestamp;
  previous: T | undefined;
}

/** Takes over every target that is missing, stale or abandoned, all in one transaction. */
export async function acquireLocks<T extends LockFields>(
  db: Firestore,
  targets: LockTarget<T>[],
  leaseSeconds: number,
  clock: () => Date,
): Promise<Lease<T>[]> {
  if (targets.length === 0) return [];
  return db.runTransaction(
    async (tx) => {
      const snaps = await tx.getAll(...targets.map((t) => t.ref));
      const now = clock();
      const token = newLockToken(now);
      const leases: Lease<T>[] = [];
      snaps.forEach((snap, i) => {
        const target = targets[i];
        const previous = snap.exists ? (snap.data() as T) : undefined;
        if (!needsTakeOver(classifyCacheDoc(previous, target.isFresh, leaseSeconds, now))) return;
        tx.set(target.ref, target.lockedData(previous, token, now));
        leases.push({ ref: target.ref, token, previous });
      });
      return leases;
    },
    { maxAttempts: 20 },
  );
}

function stillHeld(data: LockFields | undefined, token: Timestamp): boolean {
  return data?.status === "populating" && data.lastUpdated.isEqual(token);
}

/** Writes each completed document whose lock is still ours; returns the leases that were lost. */
export async function completeLocks<T extends LockFields>(
  db: Firestore,
  completions: Array<{ lease: Lease<T>; data: T }>,
): Promise<Lease<T>[]> {
  if (completions.length === 0) return [];
  return db.runTransaction(
    async (tx) => {
      const snaps = await tx.getAll(...completions.map((c) => c.lease.ref));
      const lost: Lease<T>[] = [];
      snaps.forEach((snap, i) => {
        const { lease, data } = completions[i];
        if (stillHeld(snap.data() as LockFields | undefined, lease.token)) tx.set(lease.ref, data);
        else lost.push(lease);
      });
      return lost;
    },
    { maxAttempts: 20 },
  );
}

/**
 * Gives the locks back after a failed fetch: the previous complete document is restored (so its
 * stale data stays servable and its staleness is still visible); a document we created is deleted.
 * Nothing half-written is left behind.
 */
export async function releaseLocks<T extends LockFields>(db: Firestore, leases: Lease<T>[]): Promise<void> {
  if (leases.length === 0) return;
  await db.runTransaction(
    async (tx) => {
      const snaps = await tx.getAll(...leases.map((l) => l.ref));
      snaps.forEach((snap, i) => {
        const lease = leases[i];
        if (!stillHeld(snap.data() as LockFields | undefined, lease.token)) return;
        if (lease.previous?.status === "complete") tx.set(lease.ref, lease.previous);
        else tx.delete(lease.ref);
      });
    },
    { maxAttempts: 20 },
  );
}

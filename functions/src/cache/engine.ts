import type { DocumentReference, DocumentSnapshot, Firestore } from "firebase-admin/firestore";
import type { CacheConfig } from "../config";
import { acquireLocks, classifyCacheDoc, needsTakeOver, type Lease, type LockFields } from "./lock";

/**
 * What the lock engine needs to know about one kind of `tmdb_cache` document (a season, a show, a
 * movie, a lookup). Everything else (read, classify, take over, wait, complete or release) is the
 * engine's, written once.
 */
export interface CacheKind<D extends LockFields> {
  /** Is a complete document's content within its TTL? */
  isFresh(data: D, now: Date): boolean;
  /** May this old content be served while the document is refreshed, or after its refresh failed? */
  isServable(data: D, now: Date): boolean;
  /** The document while we hold its lock: the lock fields, plus old content readers may still be served. */
  lockedData(previous: D | undefined, now: Date): D;
}

export interface CacheTarget<D extends LockFields> {
  ref: DocumentReference;
  kind: CacheKind<D>;
}

export interface EngineDeps {
  db: Firestore;
  config: CacheConfig;
  clock: () => Date;
}

/**
 * How a target was answered: from its document (`fresh`, or `stale` content served while another
 * request refreshes it), by this request (`populated`: the caller's `populate` answer), or not at all
 * (`pending`: another request's live lock outlasted `lockWaitMs`).
 */
export type Answer<D, R> = { state: "fresh" | "stale"; data: D } | { state: "populated"; result: R } | { state: "pending" };

export interface Held<D extends LockFields> {
  index: number;
  lease: Lease<D>;
}

/**
 * The one loop of the `populating` protocol (`lock.ts`): reads the targets (or uses `first`), answers
 * the fresh ones, takes over every missing, stale or abandoned one in ONE atomic commit and hands
 * those leases to `populate` (which fetches and completes or releases them), serves old content under
 * somebody else's live lock when it may, and otherwise waits for that lock to settle by listening to
 * the documents (one read per change, no polling), until the lock's lease runs out (then it is taken
 * over) or `lockWaitMs` has passed (then the target is `pending`).
 */
export async function settleTargets<D extends LockFields, R>(
  deps: EngineDeps,
  targets: Array<CacheTarget<D>>,
  populate: (held: Array<Held<D>>) => Promise<Map<number, R>>,
  first?: DocumentSnapshot[],
): Promise<Array<Answer<D, R>>> {
  const answers: Array<Answer<D, R>> = new Array(targets.length);
  if (targets.length === 0) return answers;
  const { lockLeaseSeconds, lockWaitMs } = deps.config;
  const deadline = Date.now() + lockWaitMs;
  let open = targets.map((_, i) => i);
  let snaps = first ?? (await deps.db.getAll(...targets.map((t) => t.ref)));

  for (;;) {
    const now = deps.clock();
    const toTake: number[] = [];
    const waiting: number[] = [];
    open.forEach((index, k) => {
      const snap = snaps[k];
      const { kind } = targets[index];
      const data = snap.exists ? (snap.data() as D) : undefined;
      const state = classifyCacheDoc(data, (d, n) => kind.isFresh(d, n), lockLeaseSeconds, now);
      if (state === "fresh" && data) answers[index] = { state: "fresh", data };
      else if (needsTakeOver(state)) toTake.push(index);
      else if (data && kind.isServable(data, now)) answers[index] = { state: "stale", data };
      else waiting.push(index);
    });

    let lostTakeOver = false;
    if (toTake.length > 0) {
      const byIndex = new Map(open.map((index, k) => [index, snaps[k]]));
      const leases = await acquireLocks(
        deps.db,
        toTake.map((index) => {
          const snap = byIndex.get(index) as DocumentSnapshot;
          return { snap, lockedData: targets[index].kind.lockedData(snap.exists ? (snap.data() as D) : undefined, now) };
        }),
      );
      if (leases) {
        const results = await populate(toTake.map((index, k) => ({ index, lease: leases[k] })));
        for (const [index, result] of results) answers[index] = { state: "populated", result };
      } else {
        // Another request took one of them first: it holds them now; look again (and wait for it).
        lostTakeOver = true;
        waiting.push(...toTake);
      }
    }

    if (waiting.length === 0) return answers;
    if (Date.now() >= deadline) {
      for (const index of waiting) answers[index] = { state: "pending" };
      return answers;
    }
    open = waiting.sort((a, b) => a - b);
    const refs = open.map((index) => targets[index].ref);
    snaps = lostTakeOver ? await deps.db.getAll(...refs) : await waitUntilUnlocked(deps, refs, deadline);
  }
}

/** A long wait re-subscribes this often (one read per document), so a lost listen event cannot stall it. */
const RELISTEN_MS = 5_000;

/**
 * Listens to the documents until none holds a live lock any more (completed, released, or its lease
 * ran out) or the deadline passes, and returns their latest snapshots. Costs one read per document
 * to start and one per change: waiting is driven by Firestore's events, not by polling.
 */
export function waitUntilUnlocked(deps: EngineDeps, refs: DocumentReference[], deadline: number): Promise<DocumentSnapshot[]> {
  const latest: Array<DocumentSnapshot | undefined> = refs.map(() => undefined);
  const leaseMs = deps.config.lockLeaseSeconds * 1000;
  return new Promise<DocumentSnapshot[]>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    let finished = false;
    const unsubscribes: Array<() => void> = [];
    const finish = (error?: unknown) => {
      if (finished) return;
      finished = true;
      if (timer) clearTimeout(timer);
      for (const unsubscribe of unsubscribes) unsubscribe();
      if (error) reject(error);
      else resolve(latest as DocumentSnapshot[]);
    };
    const evaluate = () => {
      if (finished || latest.some((snap) => snap === undefined)) return;
      const now = deps.clock().getTime();
      let nextExpiry = Infinity;
      for (const snap of latest as DocumentSnapshot[]) {
        const data = snap.data() as Partial<LockFields> | undefined;
        if (data?.status !== "populating" || !data.lastUpdated) continue;
        const expiresIn = data.lastUpdated.toMillis() + leaseMs - now;
        if (expiresIn > 0) nextExpiry = Math.min(nextExpiry, expiresIn);
      }
      if (nextExpiry === Infinity || Date.now() >= deadline) return finish();
      // Hand back to the caller when the first remaining lease runs out (it may be taken over then),
      // at the deadline, or after a while anyway: it listens again, which reads the documents afresh.
      if (timer) clearTimeout(timer);
      timer = setTimeout(finish, Math.max(0, Math.min(nextExpiry, deadline - Date.now(), RELISTEN_MS)));
    };
    refs.forEach((ref, i) => {
      unsubscribes.push(
        ref.onSnapshot(
          (snap) => {
            latest[i] = snap;
            evaluate();
          },
          (error) => finish(error),
        ),
      );
    });
    // A listener that failed at once may have finished before the others were registered.
    if (finished) for (const unsubscribe of unsubscribes) unsubscribe();
  });
}

import type { DocumentReference, DocumentSnapshot, Firestore } from "firebase-admin/firestore";
import type { CacheConfig } from "../shared/config";
import { acquireLocks, classifyCacheDoc, heldBy, needsTakeOver, type Lease, type LockFields } from "./lock";

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
  /** The job this load works for, stable across its retries: its own live locks are taken over at once (lock.ts). */
  holder?: string;
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
 * somebody else's live lock when it may, and otherwise waits for that lock to settle (`waitUntilUnlocked`:
 * listening, not polling), until the lock's lease runs out (then it is taken over) or `lockWaitMs` has
 * passed (then the target is `pending`). A lost take-over is not read again: the wait's first snapshot
 * is that read.
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
      else if (needsTakeOver(state) || heldBy(data, deps.holder)) toTake.push(index);
      else if (data && kind.isServable(data, now)) answers[index] = { state: "stale", data };
      else waiting.push(index);
    });

    const known = new Map(open.map((index, k) => [index, snaps[k]]));
    if (toTake.length > 0) {
      const leases = await acquireLocks(
        deps.db,
        toTake.map((index) => {
          const snap = known.get(index) as DocumentSnapshot;
          const lockedData = targets[index].kind.lockedData(snap.exists ? (snap.data() as D) : undefined, now);
          return { snap, lockedData: deps.holder === undefined ? lockedData : { ...lockedData, holder: deps.holder } };
        }),
      );
      if (leases) {
        const results = await populate(toTake.map((index, k) => ({ index, lease: leases[k] })));
        for (const [index, result] of results) answers[index] = { state: "populated", result };
      } else {
        // Another request took one of them first: it holds them now; wait for it. What we read of
        // them is out of date, so the wait starts from no knowledge of them.
        for (const index of toTake) known.delete(index);
        waiting.push(...toTake);
      }
    }

    if (waiting.length === 0) return answers;
    if (Date.now() >= deadline) {
      for (const index of waiting) answers[index] = { state: "pending" };
      return answers;
    }
    open = waiting.sort((a, b) => a - b);
    snaps = await waitUntilUnlocked(
      deps,
      open.map((index) => ({ ref: targets[index].ref, known: known.get(index) })),
      deadline,
    );
  }
}

/** A long wait re-subscribes this often (one read), so a lost listen event cannot stall it. */
const RELISTEN_MS = 5_000;

/**
 * Waits until the documents may have settled (their lock completed, released, or its lease ran out)
 * or the deadline passes, and returns their latest snapshots.
 *
 * A holder takes a show's documents in one commit and completes them in one commit (`completeLocks`),
 * so listening to ONE of them (the sentinel) tells when the others settle too: the wait costs one
 * read to start and one per change of the sentinel, then one read for each other document, instead of
 * a listener on each (two reads per document). If another holder still has some of them, the caller
 * sees it in these snapshots and waits again, on them.
 *
 * `known` is what the caller last read of a document (absent after a lost take-over): the sentinel is
 * preferably a document known to be locked, and known leases bound the wait (a lease that runs out is
 * handed back, to be taken over).
 */
export async function waitUntilUnlocked(
  deps: EngineDeps,
  docs: Array<{ ref: DocumentReference; known?: DocumentSnapshot }>,
  deadline: number,
): Promise<DocumentSnapshot[]> {
  const leaseMs = deps.config.lockLeaseSeconds * 1000;
  const lockExpiry = (snap: DocumentSnapshot | undefined): number | undefined => {
    const data = snap?.data() as Partial<LockFields> | undefined;
    return data?.status === "populating" && data.lastUpdated ? data.lastUpdated.toMillis() + leaseMs : undefined;
  };
  const knownLocked = docs.findIndex((d) => lockExpiry(d.known) !== undefined);
  const sentinelIndex = knownLocked >= 0 ? knownLocked : 0;
  // The others' known leases (unknown ones, after a lost take-over, are as young as they get). Leases
  // are on the deps' clock, the deadline on the machine's.
  const othersExpiry = Math.min(Infinity, ...docs.flatMap((d, i) => (i === sentinelIndex ? [] : [lockExpiry(d.known) ?? Infinity])));
  const until = Math.min(deadline, Date.now() + (othersExpiry - deps.clock().getTime()));
  const sentinel = await listenUntilSettled(deps, docs[sentinelIndex].ref, until, leaseMs);
  const others = docs.filter((_, i) => i !== sentinelIndex);
  const read = others.length > 0 ? await deps.db.getAll(...others.map((d) => d.ref)) : [];
  let k = 0;
  return docs.map((_, i) => (i === sentinelIndex ? sentinel : read[k++]));
}

/**
 * Listens to one document until it holds no live lock (completed, released, or its lease ran out), or
 * `until` (epoch ms) passes, or a while anyway (`RELISTEN_MS`), and returns its latest snapshot. Costs
 * one read to start and one per change: driven by Firestore's events, not by polling.
 */
function listenUntilSettled(deps: EngineDeps, ref: DocumentReference, until: number, leaseMs: number): Promise<DocumentSnapshot> {
  return new Promise<DocumentSnapshot>((resolve, reject) => {
    let latest: DocumentSnapshot | undefined;
    let timer: NodeJS.Timeout | undefined;
    let finished = false;
    const listener: { stop?: () => void } = {};
    const finish = (error?: unknown) => {
      if (finished) return;
      finished = true;
      if (timer) clearTimeout(timer);
      listener.stop?.();
      if (error) reject(error);
      else resolve(latest as DocumentSnapshot);
    };
    const evaluate = () => {
      if (finished || !latest) return;
      const data = latest.data() as Partial<LockFields> | undefined;
      const expiresIn =
        data?.status === "populating" && data.lastUpdated ? data.lastUpdated.toMillis() + leaseMs - deps.clock().getTime() : 0;
      if (expiresIn <= 0 || Date.now() >= until) return finish();
      // Hand back when this lease runs out (it may be taken over then), at `until`, or after a while
      // anyway: the caller listens again, which reads the document afresh.
      if (timer) clearTimeout(timer);
      timer = setTimeout(finish, Math.max(0, Math.min(expiresIn, until - Date.now(), RELISTEN_MS)));
    };
    listener.stop = ref.onSnapshot(
      (snap) => {
        latest = snap;
        evaluate();
      },
      (error) => finish(error),
    );
    // A listener that failed at once may have finished before `stop` was assigned.
    if (finished) listener.stop();
  });
}

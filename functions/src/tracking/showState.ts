import { FieldValue, Timestamp, type Firestore, type WriteBatch } from "firebase-admin/firestore";
import { isAlreadyExists, isNotFound } from "../firestoreErrors";
import type { ShowStatus } from "../library/schemas";
import { markLibraryStale } from "./librarySummaryDoc";
import { trackingRef, type TrackedEpisode, type TrackingDoc } from "./trackingDoc";

/**
 * The show-level fields CONTRACT §7 adds to `users/{uid}/episode_tracking/{showId}`:
 * - `status`: the user's choice (absent = watching);
 * - `resetAt`: a rewatch started then (Trakt's `reset_at`): only plays after it count as watched for
 *   progress and up next; the plays before it stay in the history and in `plays`;
 * - `previousReset`: what the last reset replaced, so it can be undone once (absent = nothing to undo).
 */
export interface ShowStateFields {
  status?: ShowStatus;
  resetAt?: Timestamp | null;
  previousReset?: { resetAt: Timestamp | null; current: { season: number; episode: number } | null };
}
export type TrackingDocWithState = TrackingDoc & ShowStateFields;

const millisOf = (value: unknown): number | undefined =>
  value && typeof (value as { toMillis?: unknown }).toMillis === "function" ? (value as { toMillis(): number }).toMillis() : undefined;

/** The document's `resetAt` in milliseconds, or undefined when no rewatch was started. */
export const resetAtMillis = (doc: TrackingDoc): number | undefined => millisOf((doc as ShowStateFields).resetAt);

/**
 * The episodes as progress sees them: an episode whose latest play (`watchedAt`) is not after
 * `resetAt` counts as unwatched. Pure; the same object when there is no reset.
 */
export function episodesSinceReset(doc: TrackingDoc): Record<string, TrackedEpisode> | undefined {
  const resetAt = resetAtMillis(doc);
  if (resetAt === undefined || !doc.episodes) return doc.episodes;
  const episodes: Record<string, TrackedEpisode> = {};
  for (const [key, entry] of Object.entries(doc.episodes)) {
    const at = millisOf(entry?.watchedAt);
    episodes[key] = entry?.watched === true && (at === undefined || at <= resetAt) ? { ...entry, watched: false } : entry;
  }
  return episodes;
}

/** The tracking document as progress counts it: episodes watched before `resetAt` are not watched. */
export const trackingSinceReset = (doc: TrackingDoc): TrackingDoc => {
  const episodes = episodesSinceReset(doc);
  return episodes === doc.episodes ? doc : { ...doc, episodes };
};

/**
 * Sets the show's status. Only `status`, `showId` and `updatedAt` are written (no read of the possibly
 * large document); a show not tracked yet gets a document with no episodes. Repeating it changes nothing
 * but `updatedAt`.
 */
export async function writeShowStatus(db: Firestore, uid: string, showId: number, status: ShowStatus, now: Date): Promise<void> {
  const ref = trackingRef(db, uid, showId);
  // `showId` lets the nightly job find the document through its collection-group index.
  const fields = { status, showId, updatedAt: Timestamp.fromDate(now) };
  // With the library entry marked stale in the same batch (./librarySummaryDoc).
  const write = (change: (batch: WriteBatch) => void) => {
    const batch = db.batch();
    change(batch);
    markLibraryStale(batch, db, uid, [showId]);
    return batch.commit();
  };
  try {
    await write((batch) => batch.update(ref, fields));
  } catch (error) {
    if (!isNotFound(error)) throw error;
    try {
      await write((batch) => batch.create(ref, { episodes: {}, ...fields }));
    } catch (raced) {
      if (!isAlreadyExists(raced)) throw raced;
      await write((batch) => batch.update(ref, fields));
    }
  }
}

/** The latest play of a watched episode, in milliseconds (the document's own `lastWatchedAt` included). */
function lastPlayMillis(doc: TrackingDoc): number | undefined {
  let latest = millisOf(doc.lastWatchedAt);
  for (const entry of Object.values(doc.episodes ?? {})) {
    const at = entry?.watched === true ? millisOf(entry.watchedAt) : undefined;
    if (at !== undefined && (latest === undefined || at > latest)) latest = at;
  }
  return latest;
}

/**
 * Starts a rewatch (`resetAt` = now, the pointer cleared) or, with `undo`, restores what the last reset
 * replaced. In one transaction on the tracking document, and idempotent under retries: a reset while
 * the current one has no play after it yet changes nothing (progress is already zero), and an undo with
 * nothing left to undo changes nothing. A show that is not tracked has nothing to reset. Returns the
 * `resetAt` in force afterwards.
 */
export async function writeReset(db: Firestore, uid: string, showId: number, now: Date, undo: boolean): Promise<Timestamp | null> {
  const ref = trackingRef(db, uid, showId);
  return db.runTransaction(async (tx) => {
    const snap = await tx.get(ref);
    if (!snap.exists) return null;
    const doc = snap.data() as TrackingDocWithState;
    const resetAt = doc.resetAt ?? null;
    const updatedAt = Timestamp.fromDate(now);
    if (undo) {
      if (!doc.previousReset) return resetAt;
      const restored = doc.previousReset.resetAt ?? null;
      tx.update(ref, { resetAt: restored, current: doc.previousReset.current ?? null, previousReset: FieldValue.delete(), updatedAt });
      markLibraryStale(tx, db, uid, [showId]);
      return restored;
    }
    const lastPlay = lastPlayMillis(doc);
    if (resetAt && (lastPlay === undefined || lastPlay <= resetAt.toMillis())) return resetAt;
    const next = Timestamp.fromDate(now);
    const previousReset = { resetAt, current: doc.current ?? null };
    tx.update(ref, { resetAt: next, current: null, previousReset, showId, updatedAt });
    markLibraryStale(tx, db, uid, [showId]);
    return next;
  });
}

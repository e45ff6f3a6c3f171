import { FieldValue, type DocumentReference, type Firestore, type SetOptions } from "firebase-admin/firestore";

/**
 * `users/{uid}/library/summary`: one map entry per tracked show (`shows.{showId}`) with the show's
 * library answer, so a library view costs one read (issue 16). progress/librarySummary.ts computes and
 * reads the entries; this module holds the one rule every tracking write follows:
 *
 *   every write that changes a tracking document also marks its show's entry stale, in the same
 *   transaction or batch: `staleAt: 0` and `rev + 1`, blind (no read, so no contention between shows).
 *
 * A reader that recomputes an entry writes it back only if `rev` is still the one it saw before it read
 * the tracking document (progress/librarySummary.ts), so a stale entry can never be marked fresh with
 * data older than the tracking document. Owner-only readable by the rules (`users/{uid}/**`).
 */
export const LIBRARY_COLLECTION = "library";
export const LIBRARY_SUMMARY_ID = "summary";

export const librarySummaryRef = (db: Firestore, uid: string) =>
  db.collection("users").doc(uid).collection(LIBRARY_COLLECTION).doc(LIBRARY_SUMMARY_ID);

/** A transaction or a batch: both take blind merge writes. */
interface BlindWriter {
  set(ref: DocumentReference, data: Record<string, unknown>, options: SetOptions): unknown;
}

/** Marks the shows' library entries stale (creating the entry if missing), inside the caller's transaction or batch. */
export function markLibraryStale(writer: BlindWriter, db: Firestore, uid: string, showIds: number[]): void {
  if (showIds.length === 0) return;
  const shows = Object.fromEntries(showIds.map((showId) => [String(showId), { staleAt: 0, rev: FieldValue.increment(1) }]));
  writer.set(librarySummaryRef(db, uid), { shows }, { merge: true });
}

/**
 * Marks one show's entry stale in the summaries of the given users, e.g. after the nightly job refreshed
 * the show's cache documents before they expired (entries computed from the old ones must go).
 */
export async function markShowStaleForUsers(db: Firestore, uids: string[], showId: number): Promise<void> {
  const unique = [...new Set(uids)].filter((uid) => uid !== "");
  for (let i = 0; i < unique.length; i += 400) {
    const batch = db.batch();
    for (const uid of unique.slice(i, i + 400)) markLibraryStale(batch, db, uid, [showId]);
    await batch.commit();
  }
}

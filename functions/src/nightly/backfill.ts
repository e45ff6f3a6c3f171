import { FieldPath, type DocumentReference, type Firestore } from "firebase-admin/firestore";
import { setShowIdFields } from "../tracking/repository";
import { TRACKING_COLLECTION } from "../tracking/trackingDoc";

export interface BackfillPage {
  scanned: number;
  updated: number;
  /** Path to continue after, or null when the scan is complete. */
  next: string | null;
}

/**
 * One page of the one-time migration that gives every tracking document its top-level `showId`
 * (documents written before the backend set it); the tracking repository writes them.
 */
export async function backfillShowIds(
  db: Firestore,
  cursor: string | null,
  options: { pageSize: number; scope: { startAt: string; endBefore: string } | null },
): Promise<BackfillPage> {
  let query = db.collectionGroup(TRACKING_COLLECTION).orderBy(FieldPath.documentId());
  if (options.scope) {
    query = query.where(FieldPath.documentId(), ">=", options.scope.startAt).where(FieldPath.documentId(), "<", options.scope.endBefore);
  }
  if (cursor) query = query.startAfter(cursor);
  const page = await query.select("showId").limit(options.pageSize).get();

  const docs: Array<{ ref: DocumentReference; showId: number }> = [];
  for (const doc of page.docs) {
    const showId = Number(doc.id);
    // Only `users/{uid}/episode_tracking/{showId}` documents with a valid show id.
    if (doc.ref.parent.parent?.parent.id !== "users" || !Number.isSafeInteger(showId) || showId <= 0) continue;
    if (doc.get("showId") !== showId) docs.push({ ref: doc.ref, showId });
  }
  const updated = await setShowIdFields(db, docs);
  return {
    scanned: page.size,
    updated,
    next: page.size < options.pageSize ? null : page.docs[page.size - 1].ref.path,
  };
}

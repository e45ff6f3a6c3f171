import { FieldPath, type Firestore } from "firebase-admin/firestore";
import { NOT_FOUND, isNotFound } from "../firestoreErrors";
import { TRACKING_COLLECTION } from "../tracking/trackingDoc";

export interface BackfillPage {
  scanned: number;
  updated: number;
  /** Path to continue after, or null when the scan is complete. */
  next: string | null;
}

/**
 * One page of the one-time migration that gives every tracking document its top-level `showId`
 * (documents written before the backend set it). Only `showId` is written, so nothing a user or a
 * concurrent request wrote is touched; a document deleted meanwhile is skipped.
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

  const writer = db.bulkWriter();
  writer.onWriteError((error) => error.code !== NOT_FOUND && error.failedAttempts < 5);
  const writes: Array<Promise<unknown>> = [];
  for (const doc of page.docs) {
    const showId = Number(doc.id);
    // Only `users/{uid}/episode_tracking/{showId}` documents with a valid show id.
    if (doc.ref.parent.parent?.parent.id !== "users" || !Number.isSafeInteger(showId) || showId <= 0) continue;
    if (doc.get("showId") === showId) continue;
    writes.push(writer.update(doc.ref, { showId }).then(() => true, (error: unknown) => (isNotFound(error) ? false : Promise.reject(error))));
  }
  await writer.close();
  const results = await Promise.all(writes);
  return {
    scanned: page.size,
    updated: results.filter(Boolean).length,
    next: page.size < options.pageSize ? null : page.docs[page.size - 1].ref.path,
  };
}

import { FieldValue, Timestamp, type DocumentReference, type Firestore, type Transaction } from "firebase-admin/firestore";

/**
 * `ops/account_deletions/owners/{ownerId}`: the durable intent to delete everything an owner id (an
 * account's uid or a managed profile's id) holds, and how far the deletion got. Written in the same
 * transaction that decides the deletion (leaving a household last, deleting a profile) or before the
 * first document is deleted (`deleteAccount`, the Auth trigger), so a crash at any point leaves a job
 * that a retry, the queue or the next request finishes. Admin SDK only (rules deny `ops/`).
 */
export type DeletionKind = "account" | "profile";
/** In order; each phase is idempotent, so running one twice (a retry, two runners at once) changes nothing more. */
export const DELETION_PHASES = ["household", "reactions", "webhooks", "cleaners", "tree", "done"] as const;
export type DeletionPhase = (typeof DELETION_PHASES)[number];

export interface DeletionJobDoc {
  kind: DeletionKind;
  /** Bumped by every request: continuation task ids include it, so a new request is never a duplicate of an old one. */
  generation: number;
  phase: DeletionPhase;
  /** Within the `tree` phase: the subcollection of `users/{ownerId}` being deleted and the last document id deleted. */
  cursor: { collection: string; after: string } | null;
  deletedDocs: number;
  /** A managed profile's household, so a repeated `deleteProfile` answers as the first did. */
  householdId: string | null;
  requestedAt: Timestamp;
  updatedAt: Timestamp;
  finishedAt: Timestamp | null;
}

export const deletionJobRef = (db: Firestore, ownerId: string): DocumentReference =>
  db.collection("ops").doc("account_deletions").collection("owners").doc(ownerId);

/** Opens (or reopens) the job inside the caller's transaction, after its reads: a blind write. */
export function scheduleDeletion(
  tx: Transaction,
  db: Firestore,
  ownerId: string,
  kind: DeletionKind,
  now: Date,
  householdId: string | null = null,
): void {
  const at = Timestamp.fromDate(now);
  tx.set(
    deletionJobRef(db, ownerId),
    {
      kind,
      generation: FieldValue.increment(1),
      phase: kind === "account" ? "household" : "reactions",
      cursor: null,
      deletedDocs: 0,
      householdId,
      requestedAt: at,
      updatedAt: at,
      finishedAt: null,
    },
    { merge: true },
  );
}

import type { DocumentReference, Firestore } from "firebase-admin/firestore";

export interface DocumentHolder {
  /** Resolves once the holder's transaction has read the documents: from then on it holds their locks. */
  holding: Promise<void>;
  /** Ends the holder's transaction (a read-only commit), which lets the writers waiting on its locks through. */
  release(): Promise<void>;
}

/**
 * Another request's transaction (a user's own sync, on another instance) that has read some documents
 * and not yet committed. Firestore locks what a transaction has read until it ends, so a function that
 * commits a write to one of them meanwhile waits there (its transaction is aborted and retried by its
 * client, for as long as the hold lasts), having committed everything before it. It lets a chaos test
 * stop a function at a known point between two writes of the same request; the holder is the older
 * transaction, so it is the one that keeps its locks. It runs once: if Firestore ever took its locks away
 * (aborted it), `release` rejects rather than the hold silently not having held.
 */
export function holdDocuments(db: Firestore, refs: DocumentReference[]): DocumentHolder {
  let read: () => void = () => undefined;
  const holding = new Promise<void>((resolve) => (read = resolve));
  let open: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const transaction = db.runTransaction(
    async (tx) => {
      await tx.getAll(...refs);
      read();
      await gate;
    },
    { maxAttempts: 1 },
  );
  // A transaction that fails before it has read anything fails the test instead of leaving it waiting on `holding`.
  const failedEarly = transaction.then(() => {
    throw new Error("the holder's transaction ended before it held its documents");
  });
  return {
    holding: Promise.race([holding, failedEarly]),
    release: () => {
      open();
      return transaction;
    },
  };
}

import type { DocumentData, DocumentReference } from "firebase-admin/firestore";

/** Resolves once the document satisfies `predicate` (an event, not a sleep). */
export function waitForDoc(ref: DocumentReference, predicate: (data: DocumentData | undefined) => boolean): Promise<DocumentData | undefined> {
  return new Promise((resolve, reject) => {
    const unsubscribe = ref.onSnapshot(
      (snap) => {
        if (predicate(snap.data())) {
          unsubscribe();
          resolve(snap.data());
        }
      },
      (error) => reject(error),
    );
  });
}

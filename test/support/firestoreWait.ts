import type { DocumentData, DocumentReference } from "firebase-admin/firestore";

/** How long a watched-for state may take before the test fails instead of hanging. */
const GIVE_UP_MS = 30_000;

/**
 * Starts listening to a document and resolves once the listener is live (its first snapshot has
 * arrived), with `reached`: a promise for the moment the document satisfies `predicate` (an event, not a sleep).
 * Awaiting the listener first matters: on a loaded machine a listener can go live after a brief state
 * (a lock held for a few hundred ms) has come and gone.
 */
export async function waitForDoc(
  ref: DocumentReference,
  predicate: (data: DocumentData | undefined) => boolean,
): Promise<{ reached: Promise<DocumentData | undefined> }> {
  let live: () => void = () => undefined;
  const listening = new Promise<void>((resolve) => (live = resolve));
  const satisfied = new Promise<DocumentData | undefined>((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`${ref.path} did not reach the expected state within ${GIVE_UP_MS} ms`));
    }, GIVE_UP_MS);
    const unsubscribe = ref.onSnapshot(
      (snap) => {
        live();
        if (predicate(snap.data())) {
          clearTimeout(timer);
          unsubscribe();
          resolve(snap.data());
        }
      },
      (error) => {
        clearTimeout(timer);
        live();
        reject(error);
      },
    );
  });
  await listening;
  // Wrapped: an async function returning a bare promise would wait for it.
  return { reached: satisfied };
}

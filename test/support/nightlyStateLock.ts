import { Timestamp, type DocumentReference, type Firestore } from "firebase-admin/firestore";
import { isAlreadyExists, lostRace } from "../../functions/src/shared/firestoreErrors";
import { uniqueId } from "./admin";

/**
 * The deployed nightly job has one state document (`ops/nightly_reenrich`) and reads the fake TMDB's one
 * changes feed: test files that run it through the emulated functions take turns (Jest runs files in
 * parallel), holding this lease from their first test to their last.
 */
const LOCK_PATH = "test_locks/nightly_reenrich";
/** Longer than any such file runs; a Jest worker that died holding the lease frees it after this. */
const LEASE_MS = 180_000;

/** Waits for the nightly job's turn; returns the release. */
export async function takeNightlyTurn(db: Firestore): Promise<() => Promise<void>> {
  const ref = db.doc(LOCK_PATH);
  const owner = uniqueId("turn");
  for (;;) {
    try {
      const { writeTime } = await ref.create({ owner, expiresAt: Timestamp.fromMillis(Date.now() + LEASE_MS) });
      return async () => {
        try {
          await ref.delete({ lastUpdateTime: writeTime });
        } catch (error) {
          if (!lostRace(error)) throw error; // expired and taken over meanwhile: not ours to delete
        }
      };
    } catch (error) {
      if (!isAlreadyExists(error)) throw error;
    }
    await untilFree(ref);
  }
}

/** Listens until the lease document is gone, or removes it once it has expired (its holder died). */
function untilFree(ref: DocumentReference): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const done = (error?: unknown) => {
      if (timer) clearTimeout(timer);
      unsubscribe();
      if (error) reject(error);
      else resolve();
    };
    const unsubscribe = ref.onSnapshot((snap) => {
      if (timer) clearTimeout(timer);
      if (!snap.exists) return done();
      const expiresIn = (snap.get("expiresAt") as Timestamp).toMillis() - Date.now();
      const removeExpired = () =>
        ref.delete({ lastUpdateTime: snap.updateTime as Timestamp }).then(
          () => done(),
          (error: unknown) => (lostRace(error) ? done() : done(error)),
        );
      timer = setTimeout(removeExpired, Math.max(0, expiresIn));
    }, done);
  });
}

import type { DocumentReference, Firestore } from "firebase-admin/firestore";
import {
  blockedCollection,
  FRIEND_REQUESTS,
  friendRef,
  friendsCollection,
  handleRef,
  incomingRequestsCollection,
  publicProfileRef,
  type HandleDoc,
  type PublicProfileDoc,
} from "./documents";
import { logSocialAccountDeleted } from "./logs";

/** Deletes per commit: Firestore takes 500 writes a batch. */
const BATCH = 400;

/**
 * What §10 holds for a user whose account is being deleted (CONTRACT §9): their public profile and
 * handle (free for anyone again), friendships on both sides, friend requests both ways, and their
 * blocks. Their messages stay in each conversation; `getMessages` answers them as from a deleted user
 * (no public profile). Safe to run again. The account deletion calls it before removing `users/{uid}`.
 */
export async function deleteSocialAccountData(db: Firestore, uid: string): Promise<{ friends: number; requests: number; blocks: number }> {
  const started = Date.now();
  const refs: DocumentReference[] = [];
  await db.runTransaction(async (tx) => {
    const profile = (await tx.get(publicProfileRef(db, uid))).data() as PublicProfileDoc | undefined;
    if (profile) {
      const handle = handleRef(db, profile.handle);
      if (((await tx.get(handle)).data() as HandleDoc | undefined)?.uid === uid) tx.delete(handle);
    }
    tx.delete(publicProfileRef(db, uid));
  });
  const [friends, incoming, sent, blocks] = await Promise.all([
    friendsCollection(db, uid).listDocuments(),
    incomingRequestsCollection(db, uid).listDocuments(),
    db.collectionGroup(FRIEND_REQUESTS).where("fromUid", "==", uid).get(),
    blockedCollection(db, uid).listDocuments(),
  ]);
  for (const friend of friends) refs.push(friend, friendRef(db, friend.id, uid));
  refs.push(...incoming, ...blocks);
  // Only requests under users/{someone}/friend_requests/{uid}: a stray field elsewhere is not ours to delete.
  refs.push(...sent.docs.filter((doc) => doc.id === uid && doc.ref.parent.parent?.parent.id === "users").map((doc) => doc.ref));
  for (let i = 0; i < refs.length; i += BATCH) {
    const batch = db.batch();
    for (const ref of refs.slice(i, i + BATCH)) batch.delete(ref);
    await batch.commit();
  }
  const counts = { friends: friends.length, requests: incoming.length + sent.size, blocks: blocks.length };
  logSocialAccountDeleted({ uid, ...counts, durationMs: Date.now() - started });
  return counts;
}

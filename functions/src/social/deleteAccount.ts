import type { Firestore } from "firebase-admin/firestore";
import {
  blockedCollection,
  blockedRef,
  FRIEND_REQUESTS,
  friendRef,
  friendRequestRef,
  friendsCollection,
  handleRef,
  incomingRequestsCollection,
  publicProfileRef,
  type HandleDoc,
  type PublicProfileDoc,
} from "./documents";
import { logSocialAccountDeleted } from "./logs";

/**
 * What §10 holds for a user whose account is being deleted (CONTRACT §9): their public profile and
 * handle (free for anyone again), friendships on both sides, friend requests both ways, and their
 * blocks. Their messages stay in each conversation; `getMessages` answers them as from a deleted user
 * (no public profile). Safe to run again. The account deletion calls it before removing `users/{uid}`.
 */
export async function deleteSocialAccountData(db: Firestore, uid: string): Promise<{ friends: number; requests: number; blocks: number }> {
  const started = Date.now();
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
  // Only requests at users/{someone}/friend_requests/{uid}: a stray field elsewhere is not ours to delete.
  const sentTo = sent.docs.flatMap((doc) => {
    const owner = doc.ref.parent.parent;
    return doc.id === uid && owner?.parent.id === "users" ? [owner.id] : [];
  });
  const writer = db.bulkWriter();
  const deletes: Array<Promise<unknown>> = [];
  for (const friend of friends) deletes.push(writer.delete(friendRef(db, uid, friend.id)), writer.delete(friendRef(db, friend.id, uid)));
  for (const request of incoming) deletes.push(writer.delete(friendRequestRef(db, uid, request.id)));
  for (const toUid of sentTo) deletes.push(writer.delete(friendRequestRef(db, toUid, uid)));
  for (const block of blocks) deletes.push(writer.delete(blockedRef(db, uid, block.id)));
  await writer.close();
  await Promise.all(deletes);
  const counts = { friends: friends.length, requests: incoming.length + sentTo.length, blocks: blocks.length };
  logSocialAccountDeleted({ uid, ...counts, durationMs: Date.now() - started });
  return counts;
}

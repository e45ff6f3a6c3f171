import { Timestamp, type Firestore, type Transaction } from "firebase-admin/firestore";
import type { AppContext } from "../shared/app";
import { failedPrecondition, invalidArgument, notFound } from "../shared/errors";
import { blockedRef, friendRef, friendRequestRef, publicProfileRef, type FriendRequestDoc, type PublicProfileDoc } from "./documents";
import { logFriendship } from "./logs";
import { uidForHandle } from "./profiles";
import type {
  RemoveFriendRequest,
  RespondFriendRequestRequest,
  RespondFriendRequestResponse,
  SendFriendRequestRequest,
  SendFriendRequestResponse,
  SetBlockedRequest,
} from "./schemas";

type Ctx = Pick<AppContext, "db" | "clock">;

/** Both sides' `friends` documents, in a transaction that has done all its reads. */
function befriend(db: Firestore, tx: Transaction, a: string, b: string, since: Timestamp): void {
  tx.set(friendRef(db, a, b), { since });
  tx.set(friendRef(db, b, a), { since });
  // Whatever either had asked is answered now.
  tx.delete(friendRequestRef(db, a, b));
  tx.delete(friendRequestRef(db, b, a));
}

/** The pair's documents every friendship transaction reads: both requests, both friend docs, both blocks. */
async function readPair(db: Firestore, tx: Transaction, me: string, other: string) {
  const [toMe, toOther, myFriend, theirFriend, iBlocked, theyBlocked] = await tx.getAll(
    friendRequestRef(db, me, other),
    friendRequestRef(db, other, me),
    friendRef(db, me, other),
    friendRef(db, other, me),
    blockedRef(db, me, other),
    blockedRef(db, other, me),
  );
  return {
    theyAsked: toMe.exists,
    iAsked: toOther.exists,
    friends: myFriend.exists && theirFriend.exists,
    iBlocked: iBlocked.exists,
    theyBlocked: theyBlocked.exists,
  };
}

/**
 * Asks the user holding `handle` to be friends. When they had already asked the caller, both become
 * friends at once. Two users asking each other at the same moment: both transactions read both request
 * documents, so one of them retries, sees the other's request and makes them friends, once.
 * A request to someone who blocked the caller is answered `requested` and never delivered.
 */
export async function sendFriendRequest(ctx: Ctx, uid: string, { handle }: SendFriendRequestRequest): Promise<SendFriendRequestResponse> {
  const started = Date.now();
  const { db } = ctx;
  const target = await uidForHandle(ctx, handle);
  if (target === null) throw notFound(`handle: nobody has the handle ${handle}`);
  if (target === uid) throw invalidArgument("handle: that is your own handle");
  const status = await db.runTransaction(async (tx) => {
    const [mineSnap] = await tx.getAll(publicProfileRef(db, uid));
    const pair = await readPair(db, tx, uid, target);
    const mine = mineSnap.data() as PublicProfileDoc | undefined;
    if (!mine) throw failedPrecondition("Set a public profile (setPublicProfile) before sending friend requests");
    if (pair.iBlocked) throw failedPrecondition("Unblock this user (setBlocked) before sending them a friend request");
    if (pair.friends) return "friends" as const;
    const now = Timestamp.fromDate(ctx.clock());
    if (pair.theyAsked && !pair.theyBlocked) {
      befriend(db, tx, uid, target, now);
      return "friends" as const;
    }
    // Silently dropped: the blocked sender must not learn they were blocked.
    if (pair.theyBlocked) return "requested" as const;
    if (!pair.iAsked) {
      tx.set(friendRequestRef(db, target, uid), {
        handle: mine.handle,
        displayName: mine.displayName,
        createdAt: now,
        fromUid: uid,
      } satisfies FriendRequestDoc);
    }
    return "requested" as const;
  });
  logFriendship({ uid, otherUid: target, action: "request", outcome: status, durationMs: Date.now() - started });
  return { status };
}

/** Accepts or declines the request `fromUid` sent the caller. Answering again answers the same. */
export async function respondFriendRequest(
  ctx: Ctx,
  uid: string,
  { uid: fromUid, accept }: RespondFriendRequestRequest,
): Promise<RespondFriendRequestResponse> {
  const started = Date.now();
  const { db } = ctx;
  if (fromUid === uid) throw invalidArgument("uid: that is your own uid");
  const status = await db.runTransaction(async (tx) => {
    const pair = await readPair(db, tx, uid, fromUid);
    if (!accept) {
      tx.delete(friendRequestRef(db, uid, fromUid));
      return "declined" as const;
    }
    if (pair.friends) return "friends" as const;
    if (!pair.theyAsked) throw notFound(`uid: no friend request from ${fromUid}`);
    befriend(db, tx, uid, fromUid, Timestamp.fromDate(ctx.clock()));
    return "friends" as const;
  });
  logFriendship({ uid, otherUid: fromUid, action: accept ? "accept" : "decline", outcome: status, durationMs: Date.now() - started });
  return { status };
}

/** Ends a friendship on both sides (a no-op when there is none). The conversation stays, read-only. */
export async function removeFriend(ctx: Ctx, uid: string, { uid: friendUid }: RemoveFriendRequest): Promise<{ removed: true }> {
  const started = Date.now();
  if (friendUid === uid) throw invalidArgument("uid: that is your own uid");
  const batch = ctx.db.batch();
  batch.delete(friendRef(ctx.db, uid, friendUid));
  batch.delete(friendRef(ctx.db, friendUid, uid));
  await batch.commit();
  logFriendship({ uid, otherUid: friendUid, action: "remove", outcome: "removed", durationMs: Date.now() - started });
  return { removed: true };
}

/**
 * Blocks or unblocks a user. Blocking ends the friendship and any pending request both ways, in one
 * transaction; afterwards the blocked user's requests are dropped and their sends denied.
 */
export async function setBlocked(ctx: Ctx, uid: string, { uid: other, blocked }: SetBlockedRequest): Promise<{ blocked: boolean }> {
  const started = Date.now();
  const { db } = ctx;
  if (other === uid) throw invalidArgument("uid: that is your own uid");
  await db.runTransaction(async (tx) => {
    const ref = blockedRef(db, uid, other);
    const [snap] = await tx.getAll(ref);
    if (!blocked) {
      tx.delete(ref);
      return;
    }
    if (!snap.exists) tx.set(ref, { since: Timestamp.fromDate(ctx.clock()) });
    tx.delete(friendRef(db, uid, other));
    tx.delete(friendRef(db, other, uid));
    tx.delete(friendRequestRef(db, uid, other));
    tx.delete(friendRequestRef(db, other, uid));
  });
  logFriendship({ uid, otherUid: other, action: blocked ? "block" : "unblock", outcome: "done", durationMs: Date.now() - started });
  return { blocked };
}

/** Whether `a` and `b` are friends now (both sides' documents). */
export async function areFriends(db: Firestore, a: string, b: string): Promise<boolean> {
  const [mine, theirs] = await db.getAll(friendRef(db, a, b), friendRef(db, b, a));
  return mine.exists && theirs.exists;
}

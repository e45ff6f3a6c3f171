import { Timestamp, type DocumentSnapshot, type Firestore } from "firebase-admin/firestore";
import type { AppContext } from "../shared/app";
import { AppError, invalidArgument } from "../shared/errors";
import {
  conversationEntryRef,
  conversationIdFor,
  conversationRef,
  friendRef,
  type ConversationDoc,
  type ConversationEntryDoc,
} from "./documents";
import type { MarkConversationReadRequest, OpenConversationRequest } from "./schemas";

/** Outsiders learn nothing: a conversation that does not exist and one they are not in look the same. */
export const notAMember = () => new AppError("permission-denied", "conversationId: not a conversation of yours");

/** The conversation's document if `uid` is one of its two members; `permission-denied` otherwise. */
export function memberConversation(snap: DocumentSnapshot, uid: string): ConversationDoc & { otherUid: string } {
  const data = snap.data() as ConversationDoc | undefined;
  if (!data || !Array.isArray(data.members) || !data.members.includes(uid)) throw notAMember();
  const otherUid = data.members.find((member) => member !== uid) ?? uid;
  return { ...data, otherUid };
}

export async function readMemberConversation(db: Firestore, conversationId: string, uid: string) {
  return memberConversation(await conversationRef(db, conversationId).get(), uid);
}

/**
 * The pair's one conversation (created on first open, the same id from both sides) and the caller's
 * entry in their own list. Friends only: anyone else gets `permission-denied`.
 */
export async function openConversation(
  ctx: Pick<AppContext, "db" | "clock">,
  uid: string,
  { uid: otherUid }: OpenConversationRequest,
): Promise<{ conversationId: string }> {
  const { db } = ctx;
  if (otherUid === uid) throw invalidArgument("uid: that is your own uid");
  const conversationId = conversationIdFor(uid, otherUid);
  await db.runTransaction(async (tx) => {
    const [mine, theirs, conversation, entry] = await tx.getAll(
      friendRef(db, uid, otherUid),
      friendRef(db, otherUid, uid),
      conversationRef(db, conversationId),
      conversationEntryRef(db, uid, conversationId),
    );
    if (!mine.exists || !theirs.exists) throw new AppError("permission-denied", "uid: conversations are between friends only");
    if (!conversation.exists) {
      tx.create(conversation.ref, {
        members: [uid, otherUid].sort() as [string, string],
        createdAt: Timestamp.fromDate(ctx.clock()),
        lastMessageAt: null,
        lastMessage: null,
      } satisfies ConversationDoc);
    }
    if (!entry.exists) {
      const lastMessageAt = (conversation.get("lastMessageAt") as Timestamp | null | undefined) ?? null;
      tx.create(entry.ref, { withUid: otherUid, unread: 0, lastMessageAt } satisfies ConversationEntryDoc);
    }
  });
  return { conversationId };
}

/** Sets the caller's `unread` for the conversation to 0. */
export async function markConversationRead(
  ctx: Pick<AppContext, "db">,
  uid: string,
  { conversationId }: MarkConversationReadRequest,
): Promise<{ unread: 0 }> {
  const conversation = await readMemberConversation(ctx.db, conversationId, uid);
  const ref = conversationEntryRef(ctx.db, uid, conversationId);
  // Blind merges: a message arriving meanwhile counts either before this (read) or after it (unread 1).
  if ((await ref.get()).exists) await ref.set({ unread: 0 }, { merge: true });
  else await ref.set({ withUid: conversation.otherUid, unread: 0, lastMessageAt: conversation.lastMessageAt ?? null }, { merge: true });
  return { unread: 0 };
}

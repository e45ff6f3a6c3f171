import { FieldPath, FieldValue, Timestamp, type Firestore, type Query } from "firebase-admin/firestore";
import type { AppContext } from "../shared/app";
import { AppError, invalidArgument } from "../shared/errors";
import { isAlreadyExists } from "../shared/firestoreErrors";
import type { AlertSender } from "../nightly/alertSender";
import type { RequestMeter } from "../tmdb/client";
import { memberConversation, readMemberConversation } from "./conversations";
import {
  conversationEntryRef,
  conversationRef,
  messageIdFor,
  messagesCollection,
  messageTypeOf,
  publicProfileRef,
  type MessageDoc,
  type PublicProfileDoc,
} from "./documents";
import { areFriends } from "./friends";
import { logMessageSent, logMessagesRead } from "./logs";
import { pushToDevices } from "./notify";
import {
  DEFAULT_PAGE,
  type GetMessagesRequest,
  type GetMessagesResponse,
  type MessageItem,
  type MessageSender,
  type SendMessageRequest,
  type SendMessageResponse,
  type Shared,
} from "./schemas";
import { readPreferences } from "../language/preferences";
import { refreshShared, resolveShare, shareLabel, sharedIn } from "./shares";

export type SendDeps = Pick<AppContext, "db" | "tmdb" | "cache" | "clock" | "config"> & { meter?: RequestMeter };

const PREVIEW_CHARS = 120;
const preview = (text: string | null, shared: Shared | null) => {
  const base = text ?? (shared ? `Shared ${shareLabel(shared)}` : "");
  return base.length > PREVIEW_CHARS ? `${base.slice(0, PREVIEW_CHARS - 1)}…` : base;
};

/**
 * Sends a message. Exactly once per (sender, clientMessageId): the message id is derived from them and
 * the message is created in one batch with everything it changes (the conversation's last message, the
 * recipient's `unread` + 1, both list entries). A retry or a concurrent duplicate finds the message,
 * or loses the create and the whole batch with it, and answers the same message having written nothing.
 * The batch only writes (increments, server timestamps), never reads: 50 sends at once into one
 * conversation serialise on its documents without a transaction to abort, and `unread` ends exact.
 * Only the request that created the message pushes it to the recipient's devices.
 *
 * Languages (CONTRACT §11): the stored `shared` snapshot and the conversation's `lastMessage.preview` are
 * in the default language. Both members read those documents and may read different languages, so
 * neither member's language is the right one for them; the default-language name is also exactly what
 * §11 falls back to, so a snapshot that stands (the cache has nothing servable any more) is never a
 * placeholder nor another reader's language. Each reader gets names in their own language from
 * `getMessages`, and the recipient's push names the share in theirs (see below).
 */
export async function sendMessage(
  deps: SendDeps,
  sender: AlertSender,
  uid: string,
  request: SendMessageRequest,
): Promise<SendMessageResponse> {
  const started = Date.now();
  const { db } = deps;
  const messageId = messageIdFor(uid, request.clientMessageId);
  const messageRef = messagesCollection(db, request.conversationId).doc(messageId);
  const [conversationSnap, existing, profileSnap] = await db.getAll(
    conversationRef(db, request.conversationId),
    messageRef,
    publicProfileRef(db, uid),
  );
  const conversation = memberConversation(conversationSnap, uid);
  if (existing.exists) return answerOf(messageId, existing.data() as MessageDoc);
  if (!(await areFriends(db, uid, conversation.otherUid)))
    throw new AppError("permission-denied", "conversationId: you can only message your friends");

  const shared = request.share ? await resolveShare(deps, request.share) : null;
  const type = messageTypeOf(request.share);
  const text = request.text ?? null;
  const now = FieldValue.serverTimestamp();
  const batch = db.batch();
  batch.create(messageRef, { senderUid: uid, type, text, shared, createdAt: now });
  batch.set(
    conversationRef(db, request.conversationId),
    { lastMessageAt: now, lastMessage: { senderUid: uid, type, preview: preview(text, shared) } },
    { merge: true },
  );
  batch.set(
    conversationEntryRef(db, conversation.otherUid, request.conversationId),
    { withUid: uid, unread: FieldValue.increment(1), lastMessageAt: now },
    { merge: true },
  );
  // increment(0): the sender's entry gets `unread: 0` if it had none, and keeps its count otherwise.
  batch.set(
    conversationEntryRef(db, uid, request.conversationId),
    { withUid: conversation.otherUid, unread: FieldValue.increment(0), lastMessageAt: now },
    { merge: true },
  );
  try {
    await batch.commit();
  } catch (error) {
    if (!isAlreadyExists(error)) throw error;
    // A concurrent duplicate created it first; this batch wrote nothing.
    return answerOf(messageId, (await messageRef.get()).data() as MessageDoc);
  }
  // The stored server timestamp, read back: a retry answers from the document, so this one must too
  // (the emulator's transform time is not the commit's write time).
  const createdAt = (await messageRef.get()).get("createdAt") as Timestamp;

  const profile = profileSnap.data() as PublicProfileDoc | undefined;
  // The push is the recipient's alone: a shared show or episode is named in their language (one
  // preferences read, then the names cache), and only when they have a device to push to.
  const pushed = await pushToDevices(db, sender, conversation.otherUid, async () => ({
    title: profile?.displayName ?? "New message",
    body:
      text === null && shared
        ? preview(null, await sharedIn(deps, shared, (await readPreferences(db, conversation.otherUid)).language))
        : preview(text, shared),
    data: { type: "message", conversationId: request.conversationId, messageId, senderUid: uid },
  }));
  logMessageSent({
    uid,
    conversationId: request.conversationId,
    messageId,
    type,
    created: true,
    notified: pushed.sent,
    invalidTokens: pushed.invalidTokens,
    tmdbCalls: deps.meter?.requests ?? 0,
    durationMs: Date.now() - started,
  });
  return { messageId, createdAt: createdAt.toDate().toISOString() };
}

const answerOf = (messageId: string, message: MessageDoc): SendMessageResponse => ({
  messageId,
  createdAt: message.createdAt.toDate().toISOString(),
});

/** `nextCursor`: the last item's commit time (to the nanosecond) and id, so equal instants never skip a message. */
const cursorOf = (createdAt: Timestamp, messageId: string) =>
  `${createdAt.seconds}.${String(createdAt.nanoseconds).padStart(9, "0")}_${messageId}`;
const CURSOR = /^(\d{1,12})\.(\d{9})_([0-9a-f]{64})$/;

function pageQuery(db: Firestore, conversationId: string, before: string | undefined, limit: number): Query {
  let query = messagesCollection(db, conversationId).orderBy("createdAt", "desc").orderBy(FieldPath.documentId(), "desc");
  if (before !== undefined) {
    const cursor = CURSOR.exec(before);
    if (cursor) query = query.startAfter(new Timestamp(Number(cursor[1]), Number(cursor[2])), cursor[3]);
    else {
      const at = Date.parse(before);
      if (!Number.isFinite(at) || !/^\d{4}-\d\d-\d\dT/.test(before))
        throw invalidArgument("before: must be a nextCursor or an ISO-8601 instant");
      query = query.where("createdAt", "<", Timestamp.fromMillis(at));
    }
  }
  return query.limit(limit + 1);
}

const DELETED_SENDER: MessageSender = { handle: null, displayName: "Deleted user", deleted: true };

/**
 * A page of a conversation, newest first, for its members. Shared items carry their details as the
 * cache holds them now, named in the reader's language (CONTRACT §11; `refreshShared`): each distinct
 * show, season and movie document read once per page, and in a language other than the default each
 * distinct show's and season's name documents once more (cold names: one TMDB request per show and
 * language, shared by every reader of it). Senders are named from their public profiles now, and a
 * deleted account is answered as such.
 */
export async function getMessages(
  deps: Pick<AppContext, "db" | "clock" | "cache"> & { meter?: RequestMeter },
  uid: string,
  { conversationId, before, limit = DEFAULT_PAGE }: GetMessagesRequest,
): Promise<GetMessagesResponse> {
  const started = Date.now();
  const { db } = deps;
  // The reader's language (one more read) beside the membership check, which comes before the page.
  const [, { language }] = await Promise.all([readMemberConversation(db, conversationId, uid), readPreferences(db, uid)]);
  const page = await pageQuery(db, conversationId, before, limit).get();
  const docs = page.docs.slice(0, limit);
  const messages = docs.map((doc) => doc.data() as MessageDoc);
  const senders = [...new Set(messages.map((m) => m.senderUid))];
  const [refreshed, profiles] = await Promise.all([
    refreshShared(
      deps,
      messages.map((m) => m.shared ?? null),
      language,
    ),
    senders.length ? db.getAll(...senders.map((sender) => publicProfileRef(db, sender))) : Promise.resolve([]),
  ]);
  const senderOf = new Map<string, MessageSender>();
  profiles.forEach((snap, i) => {
    const profile = snap.data() as PublicProfileDoc | undefined;
    senderOf.set(senders[i], profile ? { handle: profile.handle, displayName: profile.displayName, deleted: false } : DELETED_SENDER);
  });
  const items: MessageItem[] = docs.map((doc, i) => ({
    messageId: doc.id,
    senderUid: messages[i].senderUid,
    sender: senderOf.get(messages[i].senderUid) ?? DELETED_SENDER,
    type: messages[i].type,
    text: messages[i].text ?? null,
    shared: refreshed.items[i],
    createdAt: messages[i].createdAt.toDate().toISOString(),
  }));
  const last = docs[docs.length - 1];
  const nextCursor = page.size > limit && last ? cursorOf(last.get("createdAt") as Timestamp, last.id) : null;
  logMessagesRead({
    uid,
    conversationId,
    items: items.length,
    language,
    cacheDocsRead: refreshed.docsRead,
    tmdbCalls: deps.meter?.requests ?? 0,
    durationMs: Date.now() - started,
  });
  return { items, nextCursor };
}

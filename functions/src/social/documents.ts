import { createHash } from "node:crypto";
import type { Firestore, Timestamp } from "firebase-admin/firestore";
import type { MessageType, Share, Shared } from "./schemas";

/**
 * The social domain's documents (CONTRACT §10) and the one place their paths are spelled. Only this
 * domain writes them; clients read what firestore.rules lets them.
 */
export interface PublicProfileDoc {
  handle: string;
  displayName: string;
  createdAt: Timestamp;
}
/** `handles/{lowercased handle}`: the reservation that makes a handle unique whatever its case. */
export interface HandleDoc {
  uid: string;
}
/** `users/{uid}/friend_requests/{fromUid}` (incoming); `fromUid` lets account deletion find the requests a user sent. */
export interface FriendRequestDoc {
  handle: string;
  displayName: string;
  createdAt: Timestamp;
  fromUid: string;
}
export interface ConversationDoc {
  members: [string, string];
  createdAt: Timestamp;
  lastMessageAt: Timestamp | null;
  lastMessage: { senderUid: string; type: MessageType; preview: string } | null;
}
export interface MessageDoc {
  senderUid: string;
  type: MessageType;
  text: string | null;
  shared: Shared | null;
  createdAt: Timestamp;
}
export interface ConversationEntryDoc {
  withUid: string;
  unread: number;
  lastMessageAt: Timestamp | null;
}

export const publicProfileRef = (db: Firestore, uid: string) => db.collection("public_profiles").doc(uid);
export const handleRef = (db: Firestore, handle: string) => db.collection("handles").doc(handle.toLowerCase());
const userRef = (db: Firestore, uid: string) => db.collection("users").doc(uid);
export const friendRef = (db: Firestore, uid: string, friendUid: string) => userRef(db, uid).collection("friends").doc(friendUid);
export const FRIEND_REQUESTS = "friend_requests";
export const friendRequestRef = (db: Firestore, toUid: string, fromUid: string) =>
  userRef(db, toUid).collection(FRIEND_REQUESTS).doc(fromUid);
export const blockedRef = (db: Firestore, uid: string, blockedUid: string) => userRef(db, uid).collection("blocked").doc(blockedUid);
export const conversationRef = (db: Firestore, conversationId: string) => db.collection("conversations").doc(conversationId);
export const messagesCollection = (db: Firestore, conversationId: string) => conversationRef(db, conversationId).collection("messages");
export const conversationEntryRef = (db: Firestore, uid: string, conversationId: string) =>
  userRef(db, uid).collection("conversations").doc(conversationId);
export const friendsCollection = (db: Firestore, uid: string) => userRef(db, uid).collection("friends");
export const incomingRequestsCollection = (db: Firestore, uid: string) => userRef(db, uid).collection(FRIEND_REQUESTS);
export const blockedCollection = (db: Firestore, uid: string) => userRef(db, uid).collection("blocked");

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/**
 * One conversation per pair, the same id whichever side opens it: the hash of the two uids in order.
 * Hashed rather than joined because uids may contain any separator; the members array says who is in it.
 */
export function conversationIdFor(a: string, b: string): string {
  const [first, second] = [a, b].sort();
  return sha256(`${first}\n${second}`);
}

/** The message id of a sender's `clientMessageId`: a retry or a concurrent duplicate addresses the same document. */
export const messageIdFor = (senderUid: string, clientMessageId: string) => sha256(`${senderUid}\n${clientMessageId}`);

export function messageTypeOf(share: Share | undefined): MessageType {
  if (!share) return "text";
  return share.type === "show" ? "shared_show" : share.type === "episode" ? "shared_episode" : "shared_movie";
}

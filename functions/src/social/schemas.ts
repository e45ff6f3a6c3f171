import { z } from "zod";
import {
  documentIdSchema,
  episodeNumberSchema,
  isoTimestampSchema,
  movieIdSchema,
  seasonNumberSchema,
  showIdSchema,
} from "../shared/validation";

/** CONTRACT §10. Handles: 3–30 characters of a-z 0-9 _ . (any case as typed; unique whatever the case). */
export const HANDLE_PATTERN = /^[a-zA-Z0-9_.]{3,30}$/;
export const handleSchema = z
  .string()
  .min(3)
  .max(30)
  .regex(HANDLE_PATTERN, "must be 3–30 characters of a-z, 0-9, '_' and '.'")
  // A handle is reserved as a document id: Firestore refuses ids like `__proto__` (`__…__` is reserved).
  .refine((handle) => !/^__.*__$/.test(handle), "is reserved");
export const displayNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(50)
  // Control characters would let a name fake line breaks in a notification.
  .refine((name) => !/\p{Cc}/u.test(name), "must not contain control characters");
/** Another user's id, as a plain document id (the caller's own uid never comes from the payload). */
export const uidSchema = documentIdSchema.pipe(z.string().max(128));

export const MAX_TEXT = 2000;
export const MAX_PAGE = 100;
export const DEFAULT_PAGE = 50;

export const setPublicProfileRequestSchema = z.object({ handle: handleSchema, displayName: displayNameSchema });
export const setPublicProfileResponseSchema = z.object({ handle: z.string() });
export type SetPublicProfileRequest = z.infer<typeof setPublicProfileRequestSchema>;
export type SetPublicProfileResponse = z.infer<typeof setPublicProfileResponseSchema>;

export const sendFriendRequestRequestSchema = z.object({ handle: handleSchema });
export const sendFriendRequestResponseSchema = z.object({ status: z.enum(["requested", "friends"]) });
export type SendFriendRequestRequest = z.infer<typeof sendFriendRequestRequestSchema>;
export type SendFriendRequestResponse = z.infer<typeof sendFriendRequestResponseSchema>;

export const respondFriendRequestRequestSchema = z.object({ uid: uidSchema, accept: z.boolean() });
export const respondFriendRequestResponseSchema = z.object({ status: z.enum(["friends", "declined"]) });
export type RespondFriendRequestRequest = z.infer<typeof respondFriendRequestRequestSchema>;
export type RespondFriendRequestResponse = z.infer<typeof respondFriendRequestResponseSchema>;

export const removeFriendRequestSchema = z.object({ uid: uidSchema });
export const removeFriendResponseSchema = z.object({ removed: z.literal(true) });
export type RemoveFriendRequest = z.infer<typeof removeFriendRequestSchema>;

export const setBlockedRequestSchema = z.object({ uid: uidSchema, blocked: z.boolean() });
export const setBlockedResponseSchema = z.object({ blocked: z.boolean() });
export type SetBlockedRequest = z.infer<typeof setBlockedRequestSchema>;

export const openConversationRequestSchema = z.object({ uid: uidSchema });
export const openConversationResponseSchema = z.object({ conversationId: z.string() });
export type OpenConversationRequest = z.infer<typeof openConversationRequestSchema>;

/** What a message shares (CONTRACT §10). */
export const shareSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("show"), showId: showIdSchema }),
  z.object({ type: z.literal("episode"), showId: showIdSchema, season: seasonNumberSchema, episode: episodeNumberSchema }),
  z.object({ type: z.literal("movie"), movieId: movieIdSchema }),
]);
export type Share = z.infer<typeof shareSchema>;

/** A conversation id as `openConversation` answers it (a sha-256 hex); any other string names no conversation. */
export const conversationIdSchema = documentIdSchema.pipe(z.string().max(128));

export const sendMessageRequestSchema = z
  .object({
    conversationId: conversationIdSchema,
    /** The client's own id for this message (a UUID, say): the same id again is the same message. */
    clientMessageId: z.string().min(1).max(128),
    /** Stored as given and never interpreted as markup by the backend. */
    text: z.string().min(1).max(MAX_TEXT).optional(),
    share: shareSchema.optional(),
  })
  .refine((data) => data.text !== undefined || data.share !== undefined, {
    message: "a message needs text, a share or both",
    path: ["text"],
  });
export const sendMessageResponseSchema = z.object({ messageId: z.string(), createdAt: isoTimestampSchema });
export type SendMessageRequest = z.infer<typeof sendMessageRequestSchema>;
export type SendMessageResponse = z.infer<typeof sendMessageResponseSchema>;

export const messageTypeSchema = z.enum(["text", "shared_show", "shared_episode", "shared_movie"]);
export type MessageType = z.infer<typeof messageTypeSchema>;

/** A shared item's details: stored in the message as a snapshot, answered by getMessages as the cache has them now. */
export const sharedSchema = z.object({
  media: shareSchema,
  title: z.string().nullable(),
  season: seasonNumberSchema.optional(),
  episode: episodeNumberSchema.optional(),
  episodeName: z.string().nullable().optional(),
  airDate: z.string().nullable().optional(),
  runtimeMinutes: z.number().nullable().optional(),
});
export type Shared = z.infer<typeof sharedSchema>;

export const getMessagesRequestSchema = z.object({
  conversationId: conversationIdSchema,
  /** `nextCursor` of the previous page (or an ISO-8601 instant: messages strictly older than it). */
  before: z.string().min(1).max(200).optional(),
  limit: z.number().int().min(1).max(MAX_PAGE).optional(),
});

/**
 * Who sent a message, from their public profile now. A sender whose account was deleted has no
 * profile any more: `deleted: true`, `handle: null`, `displayName: "Deleted user"` (CONTRACT §9).
 */
export const messageSenderSchema = z.object({ handle: z.string().nullable(), displayName: z.string(), deleted: z.boolean() });
export type MessageSender = z.infer<typeof messageSenderSchema>;

export const messageItemSchema = z.object({
  messageId: z.string(),
  senderUid: z.string(),
  sender: messageSenderSchema,
  type: messageTypeSchema,
  text: z.string().nullable(),
  shared: sharedSchema.nullable(),
  createdAt: isoTimestampSchema,
});
export type MessageItem = z.infer<typeof messageItemSchema>;
export const getMessagesResponseSchema = z.object({ items: z.array(messageItemSchema), nextCursor: z.string().nullable() });
export type GetMessagesRequest = z.infer<typeof getMessagesRequestSchema>;
export type GetMessagesResponse = z.infer<typeof getMessagesResponseSchema>;

export const markConversationReadRequestSchema = z.object({ conversationId: conversationIdSchema });
export const markConversationReadResponseSchema = z.object({ unread: z.literal(0) });
export type MarkConversationReadRequest = z.infer<typeof markConversationReadRequestSchema>;

import { metered } from "../app";
import { markConversationRead, openConversation } from "../social/conversations";
import { removeFriend, respondFriendRequest, sendFriendRequest, setBlocked } from "../social/friends";
import { getMessages, sendMessage } from "../social/messages";
import { pushSenderForRuntime } from "../social/notify";
import { setPublicProfile } from "../social/profiles";
import {
  getMessagesRequestSchema,
  markConversationReadRequestSchema,
  openConversationRequestSchema,
  removeFriendRequestSchema,
  respondFriendRequestRequestSchema,
  sendFriendRequestRequestSchema,
  sendMessageRequestSchema,
  setBlockedRequestSchema,
  setPublicProfileRequestSchema,
} from "../social/schemas";
import { defineCallable } from "./defineCallable";

/** Friends and direct messages (CONTRACT §10). They belong to accounts, not managed profiles: no `profileId`. */
export const setPublicProfileCallable = defineCallable({
  name: "setPublicProfile",
  tmdb: false,
  schema: setPublicProfileRequestSchema,
  handler: (ctx, uid, data) => setPublicProfile(ctx, uid, data),
});

export const sendFriendRequestCallable = defineCallable({
  name: "sendFriendRequest",
  tmdb: false,
  schema: sendFriendRequestRequestSchema,
  rateLimit: "friendRequests",
  handler: (ctx, uid, data) => sendFriendRequest(ctx, uid, data),
});

export const respondFriendRequestCallable = defineCallable({
  name: "respondFriendRequest",
  tmdb: false,
  schema: respondFriendRequestRequestSchema,
  handler: (ctx, uid, data) => respondFriendRequest(ctx, uid, data),
});

export const removeFriendCallable = defineCallable({
  name: "removeFriend",
  tmdb: false,
  schema: removeFriendRequestSchema,
  handler: (ctx, uid, data) => removeFriend(ctx, uid, data),
});

export const setBlockedCallable = defineCallable({
  name: "setBlocked",
  tmdb: false,
  schema: setBlockedRequestSchema,
  handler: (ctx, uid, data) => setBlocked(ctx, uid, data),
});

export const openConversationCallable = defineCallable({
  name: "openConversation",
  tmdb: false,
  schema: openConversationRequestSchema,
  handler: (ctx, uid, data) => openConversation(ctx, uid, data),
});

/** A share is resolved through the TMDB cache (a cold item costs one TMDB request across all users). */
export const sendMessageCallable = defineCallable({
  name: "sendMessage",
  schema: sendMessageRequestSchema,
  rateLimit: "messages",
  handler: (ctx, uid, data) => sendMessage(metered(ctx), pushSenderForRuntime(), uid, data),
});

/** Reads shared items' details from the cache as it is: never TMDB. */
export const getMessagesCallable = defineCallable({
  name: "getMessages",
  tmdb: false,
  schema: getMessagesRequestSchema,
  handler: (ctx, uid, data) => getMessages(ctx, uid, data),
});

export const markConversationReadCallable = defineCallable({
  name: "markConversationRead",
  tmdb: false,
  schema: markConversationReadRequestSchema,
  handler: (ctx, uid, data) => markConversationRead(ctx, uid, data),
});

import * as logger from "firebase-functions/logger";

/**
 * The social domain's log lines, with the fields operators filter on. Never message text, handles
 * typed by users, or device tokens.
 */
export function logPublicProfileSet(fields: { uid: string; renamed: boolean; durationMs: number }): void {
  logger.info("public profile set", fields);
}

export function logFriendship(fields: { uid: string; otherUid: string; action: string; outcome: string; durationMs: number }): void {
  logger.info("friendship changed", fields);
}

export function logMessageSent(fields: {
  uid: string;
  conversationId: string;
  messageId: string;
  type: string;
  created: boolean;
  notified: number;
  invalidTokens: number;
  tmdbCalls: number;
  durationMs: number;
}): void {
  logger.info("message sent", fields);
}

export function logMessagesRead(fields: {
  uid: string;
  conversationId: string;
  items: number;
  language: string;
  cacheDocsRead: number;
  tmdbCalls: number;
  durationMs: number;
}): void {
  logger.info("messages read", fields);
}

export function logMessageNotifyFailed(fields: { uid: string; conversationId: string; messageId: string; code: string }): void {
  logger.warn("message notification failed", fields);
}

export function logSocialAccountDeleted(fields: {
  uid: string;
  friends: number;
  requests: number;
  blocks: number;
  durationMs: number;
}): void {
  logger.info("social account data deleted", fields);
}

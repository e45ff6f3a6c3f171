import type { z } from "zod";
import {
  enrichLibraryRequestSchema,
  enrichLibraryResponseSchema,
  enrichShowRequestSchema,
  enrichShowResponseSchema,
} from "./enrichment/schemas";
import {
  exportHistoryRequestSchema,
  exportHistoryResponseSchema,
  importCsvRequestSchema,
  importCsvResponseSchema,
  markWatchedRequestSchema,
  markWatchedResponseSchema,
  syncHistoryRequestSchema,
  syncHistoryResponseSchema,
} from "./history/schemas";
import {
  clearPlaybackRequestSchema,
  clearPlaybackResponseSchema,
  getContinueWatchingRequestSchema,
  getContinueWatchingResponseSchema,
  playbackSchema,
  savePlaybackRequestSchema,
} from "./playback/schemas";
import {
  advanceEpisodeRequestSchema,
  advanceEpisodeResponseSchema,
  getLibraryRequestSchema,
  getLibraryResponseSchema,
  getShowProgressRequestSchema,
  setProgressRequestSchema,
  setProgressResponseSchema,
  showProgressSchema,
} from "./progress/schemas";
import * as library from "./library/schemas";
import * as imports from "./imports/schemas";
import * as language from "./language/schemas";
import { scrobbleRequestSchema, scrobbleResponseSchema } from "./scrobble/schemas";
import {
  createWebhookRequestSchema,
  createWebhookResponseSchema,
  deleteWebhookRequestSchema,
  deleteWebhookResponseSchema,
} from "./webhooks/schemas";
import {
  getReactionsRequestSchema,
  getReactionsResponseSchema,
  setReactionRequestSchema,
  setReactionResponseSchema,
  toggleReactionRequestSchema,
  toggleReactionResponseSchema,
} from "./reactions/schemas";
import * as households from "./households/schemas";
import * as social from "./social/schemas";

/** What one callable accepts and answers. */
export interface CallableSchemas {
  request: z.ZodType;
  response: z.ZodType;
}

/**
 * Every callable by the name clients call it with, with the zod schemas of its request and response:
 * the one place both sides take their types from. The functions validate requests with `request`
 * (`defineCallable`), the client SDK (`client/`) types each method with `z.input<request>` →
 * `z.output<response>`. This module imports nothing but schemas, so a client bundle can include it.
 * A test checks that every exported callable is listed here with the very schema objects it uses.
 */
export const callableContract = {
  enrichShow: { request: enrichShowRequestSchema, response: enrichShowResponseSchema },
  enrichLibrary: { request: enrichLibraryRequestSchema, response: enrichLibraryResponseSchema },
  syncHistory: { request: syncHistoryRequestSchema, response: syncHistoryResponseSchema },
  importCsv: { request: importCsvRequestSchema, response: importCsvResponseSchema },
  exportHistory: { request: exportHistoryRequestSchema, response: exportHistoryResponseSchema },
  markWatched: { request: markWatchedRequestSchema, response: markWatchedResponseSchema },
  getShowProgress: { request: getShowProgressRequestSchema, response: showProgressSchema },
  getLibrary: { request: getLibraryRequestSchema, response: getLibraryResponseSchema },
  setProgress: { request: setProgressRequestSchema, response: setProgressResponseSchema },
  advanceEpisode: { request: advanceEpisodeRequestSchema, response: advanceEpisodeResponseSchema },
  savePlayback: { request: savePlaybackRequestSchema, response: playbackSchema },
  getContinueWatching: { request: getContinueWatchingRequestSchema, response: getContinueWatchingResponseSchema },
  clearPlayback: { request: clearPlaybackRequestSchema, response: clearPlaybackResponseSchema },
  toggleReaction: { request: toggleReactionRequestSchema, response: toggleReactionResponseSchema },
  setReaction: { request: setReactionRequestSchema, response: setReactionResponseSchema },
  getReactions: { request: getReactionsRequestSchema, response: getReactionsResponseSchema },
  setShowStatus: { request: library.setShowStatusRequestSchema, response: library.setShowStatusResponseSchema },
  resetProgress: { request: library.resetProgressRequestSchema, response: library.resetProgressResponseSchema },
  setWatchlist: { request: library.setWatchlistRequestSchema, response: library.setWatchlistResponseSchema },
  rate: { request: library.rateRequestSchema, response: library.rateResponseSchema },
  getCalendar: { request: library.getCalendarRequestSchema, response: library.getCalendarResponseSchema },
  createCalendarFeed: { request: library.createCalendarFeedRequestSchema, response: library.createCalendarFeedResponseSchema },
  revokeCalendarFeed: { request: library.revokeCalendarFeedRequestSchema, response: library.revokeCalendarFeedResponseSchema },
  registerDevice: { request: library.registerDeviceRequestSchema, response: library.registerDeviceResponseSchema },
  unregisterDevice: { request: library.unregisterDeviceRequestSchema, response: library.registerDeviceResponseSchema },
  markMovieWatched: { request: library.markMovieWatchedRequestSchema, response: library.markMovieWatchedResponseSchema },
  createImport: { request: imports.createImportRequestSchema, response: imports.createImportResponseSchema },
  uploadImportPart: { request: imports.uploadImportPartRequestSchema, response: imports.uploadImportPartResponseSchema },
  startImport: { request: imports.startImportRequestSchema, response: imports.startImportResponseSchema },
  scrobble: { request: scrobbleRequestSchema, response: scrobbleResponseSchema },
  createWebhook: { request: createWebhookRequestSchema, response: createWebhookResponseSchema },
  deleteWebhook: { request: deleteWebhookRequestSchema, response: deleteWebhookResponseSchema },
  createHousehold: { request: households.createHouseholdRequestSchema, response: households.createHouseholdResponseSchema },
  createHouseholdInvite: {
    request: households.createHouseholdInviteRequestSchema,
    response: households.createHouseholdInviteResponseSchema,
  },
  joinHousehold: { request: households.joinHouseholdRequestSchema, response: households.joinHouseholdResponseSchema },
  leaveHousehold: { request: households.leaveHouseholdRequestSchema, response: households.leaveHouseholdResponseSchema },
  removeHouseholdMember: {
    request: households.removeHouseholdMemberRequestSchema,
    response: households.removeHouseholdMemberResponseSchema,
  },
  createProfile: { request: households.createProfileRequestSchema, response: households.createProfileResponseSchema },
  deleteProfile: { request: households.deleteProfileRequestSchema, response: households.deleteProfileResponseSchema },
  deleteAccount: { request: households.deleteAccountRequestSchema, response: households.deleteAccountResponseSchema },
  setPublicProfile: { request: social.setPublicProfileRequestSchema, response: social.setPublicProfileResponseSchema },
  sendFriendRequest: { request: social.sendFriendRequestRequestSchema, response: social.sendFriendRequestResponseSchema },
  respondFriendRequest: { request: social.respondFriendRequestRequestSchema, response: social.respondFriendRequestResponseSchema },
  removeFriend: { request: social.removeFriendRequestSchema, response: social.removeFriendResponseSchema },
  setBlocked: { request: social.setBlockedRequestSchema, response: social.setBlockedResponseSchema },
  openConversation: { request: social.openConversationRequestSchema, response: social.openConversationResponseSchema },
  sendMessage: { request: social.sendMessageRequestSchema, response: social.sendMessageResponseSchema },
  getMessages: { request: social.getMessagesRequestSchema, response: social.getMessagesResponseSchema },
  markConversationRead: { request: social.markConversationReadRequestSchema, response: social.markConversationReadResponseSchema },
  setPreferences: { request: language.setPreferencesRequestSchema, response: language.setPreferencesResponseSchema },
} as const satisfies Record<string, CallableSchemas>;

export type CallableContract = typeof callableContract;
export type CallableName = keyof CallableContract;
/** What a client sends to `name` (before defaults and transforms). */
export type CallableRequest<N extends CallableName> = z.input<CallableContract[N]["request"]>;
/** What `name` answers, as the client receives it (JSON: timestamps are ISO strings). */
export type CallableResponse<N extends CallableName> = z.output<CallableContract[N]["response"]>;

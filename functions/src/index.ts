/**
 * Every deployed function, by the name clients call it with: one line per function, naming its entry
 * module (`entries/<name>.ts`, whose default export is the trigger). Entries are thin: a trigger helper
 * (`callables/defineCallable.ts`, `triggers/`) around a plain module of a domain folder.
 *
 * Loading is lazy per function (`entry`, see triggers/loadFor.ts): an instance serving one function
 * (FUNCTION_TARGET) requires only that entry; discovery and tests load them all.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- a require per export is what defers the loading */
import { entry } from "./triggers/loadFor";

export const enrichShow = entry("enrichShow", () => require("./entries/enrichShow") as typeof import("./entries/enrichShow"));
export const enrichLibrary = entry("enrichLibrary", () => require("./entries/enrichLibrary") as typeof import("./entries/enrichLibrary"));
export const toggleReaction = entry(
  "toggleReaction",
  () => require("./entries/toggleReaction") as typeof import("./entries/toggleReaction"),
);
export const setReaction = entry("setReaction", () => require("./entries/setReaction") as typeof import("./entries/setReaction"));
export const getReactions = entry("getReactions", () => require("./entries/getReactions") as typeof import("./entries/getReactions"));
export const syncHistory = entry("syncHistory", () => require("./entries/syncHistory") as typeof import("./entries/syncHistory"));
export const importCsv = entry("importCsv", () => require("./entries/importCsv") as typeof import("./entries/importCsv"));
export const exportHistory = entry("exportHistory", () => require("./entries/exportHistory") as typeof import("./entries/exportHistory"));
export const markWatched = entry("markWatched", () => require("./entries/markWatched") as typeof import("./entries/markWatched"));
export const getShowProgress = entry(
  "getShowProgress",
  () => require("./entries/getShowProgress") as typeof import("./entries/getShowProgress"),
);
export const getLibrary = entry("getLibrary", () => require("./entries/getLibrary") as typeof import("./entries/getLibrary"));
export const setProgress = entry("setProgress", () => require("./entries/setProgress") as typeof import("./entries/setProgress"));
export const advanceEpisode = entry(
  "advanceEpisode",
  () => require("./entries/advanceEpisode") as typeof import("./entries/advanceEpisode"),
);
export const savePlayback = entry("savePlayback", () => require("./entries/savePlayback") as typeof import("./entries/savePlayback"));
export const getContinueWatching = entry(
  "getContinueWatching",
  () => require("./entries/getContinueWatching") as typeof import("./entries/getContinueWatching"),
);
export const clearPlayback = entry("clearPlayback", () => require("./entries/clearPlayback") as typeof import("./entries/clearPlayback"));
export const setShowStatus = entry("setShowStatus", () => require("./entries/setShowStatus") as typeof import("./entries/setShowStatus"));
export const resetProgress = entry("resetProgress", () => require("./entries/resetProgress") as typeof import("./entries/resetProgress"));
export const setWatchlist = entry("setWatchlist", () => require("./entries/setWatchlist") as typeof import("./entries/setWatchlist"));
export const rate = entry("rate", () => require("./entries/rate") as typeof import("./entries/rate"));
export const getCalendar = entry("getCalendar", () => require("./entries/getCalendar") as typeof import("./entries/getCalendar"));
export const createCalendarFeed = entry(
  "createCalendarFeed",
  () => require("./entries/createCalendarFeed") as typeof import("./entries/createCalendarFeed"),
);
export const revokeCalendarFeed = entry(
  "revokeCalendarFeed",
  () => require("./entries/revokeCalendarFeed") as typeof import("./entries/revokeCalendarFeed"),
);
export const registerDevice = entry(
  "registerDevice",
  () => require("./entries/registerDevice") as typeof import("./entries/registerDevice"),
);
export const unregisterDevice = entry(
  "unregisterDevice",
  () => require("./entries/unregisterDevice") as typeof import("./entries/unregisterDevice"),
);
export const markMovieWatched = entry(
  "markMovieWatched",
  () => require("./entries/markMovieWatched") as typeof import("./entries/markMovieWatched"),
);
export const calendarFeed = entry("calendarFeed", () => require("./entries/calendarFeed") as typeof import("./entries/calendarFeed"));
export const scrobble = entry("scrobble", () => require("./entries/scrobble") as typeof import("./entries/scrobble"));
export const createWebhook = entry("createWebhook", () => require("./entries/createWebhook") as typeof import("./entries/createWebhook"));
export const deleteWebhook = entry("deleteWebhook", () => require("./entries/deleteWebhook") as typeof import("./entries/deleteWebhook"));
export const mediaServerWebhook = entry(
  "mediaServerWebhook",
  () => require("./entries/mediaServerWebhook") as typeof import("./entries/mediaServerWebhook"),
);
export const createImport = entry("createImport", () => require("./entries/createImport") as typeof import("./entries/createImport"));
export const uploadImportPart = entry(
  "uploadImportPart",
  () => require("./entries/uploadImportPart") as typeof import("./entries/uploadImportPart"),
);
export const startImport = entry("startImport", () => require("./entries/startImport") as typeof import("./entries/startImport"));
export const nightlyReenrich = entry(
  "nightlyReenrich",
  () => require("./entries/nightlyReenrich") as typeof import("./entries/nightlyReenrich"),
);
export const nightlyReenrichTasks = entry(
  "nightlyReenrichTasks",
  () => require("./entries/nightlyReenrichTasks") as typeof import("./entries/nightlyReenrichTasks"),
);
export const importTasks = entry("importTasks", () => require("./entries/importTasks") as typeof import("./entries/importTasks"));

// Households and profiles (CONTRACT §9), and account deletion.
export const createHousehold = entry(
  "createHousehold",
  () => require("./entries/createHousehold") as typeof import("./entries/createHousehold"),
);
export const createHouseholdInvite = entry(
  "createHouseholdInvite",
  () => require("./entries/createHouseholdInvite") as typeof import("./entries/createHouseholdInvite"),
);
export const joinHousehold = entry("joinHousehold", () => require("./entries/joinHousehold") as typeof import("./entries/joinHousehold"));
export const leaveHousehold = entry(
  "leaveHousehold",
  () => require("./entries/leaveHousehold") as typeof import("./entries/leaveHousehold"),
);
export const removeHouseholdMember = entry(
  "removeHouseholdMember",
  () => require("./entries/removeHouseholdMember") as typeof import("./entries/removeHouseholdMember"),
);
export const createProfile = entry("createProfile", () => require("./entries/createProfile") as typeof import("./entries/createProfile"));
export const deleteProfile = entry("deleteProfile", () => require("./entries/deleteProfile") as typeof import("./entries/deleteProfile"));
export const deleteAccount = entry("deleteAccount", () => require("./entries/deleteAccount") as typeof import("./entries/deleteAccount"));
export const accountDeletionTasks = entry(
  "accountDeletionTasks",
  () => require("./entries/accountDeletionTasks") as typeof import("./entries/accountDeletionTasks"),
);
export const onAccountDeleted = entry(
  "onAccountDeleted",
  () => require("./entries/onAccountDeleted") as typeof import("./entries/onAccountDeleted"),
);
// Friends and direct messages (CONTRACT §10).
export const setPublicProfile = entry(
  "setPublicProfile",
  () => require("./entries/setPublicProfile") as typeof import("./entries/setPublicProfile"),
);
export const sendFriendRequest = entry(
  "sendFriendRequest",
  () => require("./entries/sendFriendRequest") as typeof import("./entries/sendFriendRequest"),
);
export const respondFriendRequest = entry(
  "respondFriendRequest",
  () => require("./entries/respondFriendRequest") as typeof import("./entries/respondFriendRequest"),
);
export const removeFriend = entry("removeFriend", () => require("./entries/removeFriend") as typeof import("./entries/removeFriend"));
export const setBlocked = entry("setBlocked", () => require("./entries/setBlocked") as typeof import("./entries/setBlocked"));
export const openConversation = entry(
  "openConversation",
  () => require("./entries/openConversation") as typeof import("./entries/openConversation"),
);
export const sendMessage = entry("sendMessage", () => require("./entries/sendMessage") as typeof import("./entries/sendMessage"));
export const getMessages = entry("getMessages", () => require("./entries/getMessages") as typeof import("./entries/getMessages"));
export const markConversationRead = entry(
  "markConversationRead",
  () => require("./entries/markConversationRead") as typeof import("./entries/markConversationRead"),
);
// Languages and time zones (CONTRACT §11, issue #26).
export const setPreferences = entry(
  "setPreferences",
  () => require("./entries/setPreferences") as typeof import("./entries/setPreferences"),
);
export const languageReenrichTasks = entry(
  "languageReenrichTasks",
  () => require("./entries/languageReenrichTasks") as typeof import("./entries/languageReenrichTasks"),
);

/**
 * Every deployed function, by the name clients call it with. Each trigger is thin: see `callables/`
 * (onCall), the trigger files beside this one, and the domain folders for the logic they call.
 *
 * Cold starts: Cloud Functions runs every function in its own instances and names it in
 * FUNCTION_TARGET, so an instance requires only its own function's trigger module (and what that
 * imports); the others stay unloaded. Without a target (the CLI's deploy-time discovery, the
 * emulator's, tests) every function is loaded. bench/coldStart.mjs measures it per function.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- a require per export is what defers the loading */
import { loadFor } from "./loadFor";

export const enrichShow = loadFor(
  "enrichShow",
  () => (require("./callables/enrichment") as typeof import("./callables/enrichment")).enrichShowCallable,
);
export const enrichLibrary = loadFor(
  "enrichLibrary",
  () => (require("./callables/enrichment") as typeof import("./callables/enrichment")).enrichLibraryCallable,
);
export const toggleReaction = loadFor(
  "toggleReaction",
  () => (require("./callables/reactions") as typeof import("./callables/reactions")).toggleReactionCallable,
);
export const setReaction = loadFor(
  "setReaction",
  () => (require("./callables/reactions") as typeof import("./callables/reactions")).setReactionCallable,
);
export const getReactions = loadFor(
  "getReactions",
  () => (require("./callables/reactions") as typeof import("./callables/reactions")).getReactionsCallable,
);
export const syncHistory = loadFor(
  "syncHistory",
  () => (require("./callables/history") as typeof import("./callables/history")).syncHistoryCallable,
);
export const importCsv = loadFor(
  "importCsv",
  () => (require("./callables/history") as typeof import("./callables/history")).importCsvCallable,
);
export const exportHistory = loadFor(
  "exportHistory",
  () => (require("./callables/history") as typeof import("./callables/history")).exportHistoryCallable,
);
export const markWatched = loadFor(
  "markWatched",
  () => (require("./callables/history") as typeof import("./callables/history")).markWatchedCallable,
);
export const getShowProgress = loadFor(
  "getShowProgress",
  () => (require("./callables/progress") as typeof import("./callables/progress")).getShowProgressCallable,
);
export const getLibrary = loadFor(
  "getLibrary",
  () => (require("./callables/progress") as typeof import("./callables/progress")).getLibraryCallable,
);
export const setProgress = loadFor(
  "setProgress",
  () => (require("./callables/progress") as typeof import("./callables/progress")).setProgressCallable,
);
export const advanceEpisode = loadFor(
  "advanceEpisode",
  () => (require("./callables/progress") as typeof import("./callables/progress")).advanceEpisodeCallable,
);
export const savePlayback = loadFor(
  "savePlayback",
  () => (require("./callables/playback") as typeof import("./callables/playback")).savePlaybackCallable,
);
export const getContinueWatching = loadFor(
  "getContinueWatching",
  () => (require("./callables/playback") as typeof import("./callables/playback")).getContinueWatchingCallable,
);
export const clearPlayback = loadFor(
  "clearPlayback",
  () => (require("./callables/playback") as typeof import("./callables/playback")).clearPlaybackCallable,
);
export const setShowStatus = loadFor(
  "setShowStatus",
  () => (require("./callables/library") as typeof import("./callables/library")).setShowStatusCallable,
);
export const resetProgress = loadFor(
  "resetProgress",
  () => (require("./callables/library") as typeof import("./callables/library")).resetProgressCallable,
);
export const setWatchlist = loadFor(
  "setWatchlist",
  () => (require("./callables/library") as typeof import("./callables/library")).setWatchlistCallable,
);
export const rate = loadFor("rate", () => (require("./callables/library") as typeof import("./callables/library")).rateCallable);
export const getCalendar = loadFor(
  "getCalendar",
  () => (require("./callables/library") as typeof import("./callables/library")).getCalendarCallable,
);
export const createCalendarFeed = loadFor(
  "createCalendarFeed",
  () => (require("./callables/library") as typeof import("./callables/library")).createCalendarFeedCallable,
);
export const revokeCalendarFeed = loadFor(
  "revokeCalendarFeed",
  () => (require("./callables/library") as typeof import("./callables/library")).revokeCalendarFeedCallable,
);
export const registerDevice = loadFor(
  "registerDevice",
  () => (require("./callables/library") as typeof import("./callables/library")).registerDeviceCallable,
);
export const unregisterDevice = loadFor(
  "unregisterDevice",
  () => (require("./callables/library") as typeof import("./callables/library")).unregisterDeviceCallable,
);
export const markMovieWatched = loadFor(
  "markMovieWatched",
  () => (require("./callables/library") as typeof import("./callables/library")).markMovieWatchedCallable,
);
export const calendarFeed = loadFor("calendarFeed", () => (require("./calendarFeed") as typeof import("./calendarFeed")).calendarFeed);
export const scrobble = loadFor(
  "scrobble",
  () => (require("./callables/scrobble") as typeof import("./callables/scrobble")).scrobbleCallable,
);
export const createWebhook = loadFor(
  "createWebhook",
  () => (require("./callables/scrobble") as typeof import("./callables/scrobble")).createWebhookCallable,
);
export const deleteWebhook = loadFor(
  "deleteWebhook",
  () => (require("./callables/scrobble") as typeof import("./callables/scrobble")).deleteWebhookCallable,
);
export const mediaServerWebhook = loadFor(
  "mediaServerWebhook",
  () => (require("./mediaServerWebhook") as typeof import("./mediaServerWebhook")).mediaServerWebhook,
);
export const createImport = loadFor(
  "createImport",
  () => (require("./callables/imports") as typeof import("./callables/imports")).createImportCallable,
);
export const uploadImportPart = loadFor(
  "uploadImportPart",
  () => (require("./callables/imports") as typeof import("./callables/imports")).uploadImportPartCallable,
);
export const startImport = loadFor(
  "startImport",
  () => (require("./callables/imports") as typeof import("./callables/imports")).startImportCallable,
);
export const nightlyReenrich = loadFor("nightlyReenrich", () => (require("./scheduled") as typeof import("./scheduled")).nightlyReenrich);
export const nightlyReenrichTasks = loadFor(
  "nightlyReenrichTasks",
  () => (require("./tasks") as typeof import("./tasks")).nightlyReenrichTasks,
);
export const importTasks = loadFor("importTasks", () => (require("./importTasks") as typeof import("./importTasks")).importTasks);
// Languages and time zones (CONTRACT §11, issue #26).
export const setPreferences = loadFor(
  "setPreferences",
  () => (require("./callables/language") as typeof import("./callables/language")).setPreferencesCallable,
);
export const languageReenrichTasks = loadFor(
  "languageReenrichTasks",
  () => (require("./languageTasks") as typeof import("./languageTasks")).languageReenrichTasks,
);

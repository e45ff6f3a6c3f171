/**
 * Every deployed function, by the name clients call it with. Each trigger is thin: see
 * `callables/` (onCall), and the domain folders for the logic they call.
 */
export { enrichShowCallable as enrichShow, enrichLibraryCallable as enrichLibrary } from "./callables/enrichment";
export { toggleReactionCallable as toggleReaction, setReactionCallable as setReaction, getReactionsCallable as getReactions } from "./callables/reactions";
export { syncHistoryCallable as syncHistory, importCsvCallable as importCsv, exportHistoryCallable as exportHistory, markWatchedCallable as markWatched } from "./callables/history";
export { getShowProgressCallable as getShowProgress, getLibraryCallable as getLibrary, setProgressCallable as setProgress, advanceEpisodeCallable as advanceEpisode } from "./callables/progress";
export { savePlaybackCallable as savePlayback, getContinueWatchingCallable as getContinueWatching, clearPlaybackCallable as clearPlayback } from "./callables/playback";
export {
  setShowStatusCallable as setShowStatus,
  resetProgressCallable as resetProgress,
  setWatchlistCallable as setWatchlist,
  rateCallable as rate,
  getCalendarCallable as getCalendar,
  createCalendarFeedCallable as createCalendarFeed,
  revokeCalendarFeedCallable as revokeCalendarFeed,
  registerDeviceCallable as registerDevice,
  unregisterDeviceCallable as unregisterDevice,
  markMovieWatchedCallable as markMovieWatched,
} from "./callables/library";
export { calendarFeed } from "./calendarFeed";
export { scrobbleCallable as scrobble, createWebhookCallable as createWebhook, deleteWebhookCallable as deleteWebhook } from "./callables/scrobble";
export { mediaServerWebhook } from "./mediaServerWebhook";
export { createImportCallable as createImport, uploadImportPartCallable as uploadImportPart, startImportCallable as startImport } from "./callables/imports";
export { nightlyReenrich } from "./scheduled";
export { nightlyReenrichTasks } from "./tasks";
export { importTasks } from "./importTasks";

import { getCalendar } from "../library/calendar";
import { createCalendarFeed, revokeCalendarFeed } from "../library/calendarFeed";
import { publicFunctionUrl } from "../publicUrls";
import { registerDevice, unregisterDevice } from "../library/devices";
import { markMovieWatched } from "../library/movies";
import { rate } from "../library/ratings";
import { resetProgress } from "../library/resetProgress";
import {
  createCalendarFeedRequestSchema,
  getCalendarRequestSchema,
  markMovieWatchedRequestSchema,
  rateRequestSchema,
  registerDeviceRequestSchema,
  resetProgressRequestSchema,
  revokeCalendarFeedRequestSchema,
  setShowStatusRequestSchema,
  setWatchlistRequestSchema,
  unregisterDeviceRequestSchema,
} from "../library/schemas";
import { setShowStatus } from "../library/showStatus";
import { setWatchlist } from "../library/watchlist";
import { defineCallable } from "./defineCallable";

export const setShowStatusCallable = defineCallable({
  name: "setShowStatus",
  schema: setShowStatusRequestSchema,
  profile: true,
  handler: (ctx, uid, data) => setShowStatus(ctx, uid, data),
});

export const resetProgressCallable = defineCallable({
  name: "resetProgress",
  schema: resetProgressRequestSchema,
  profile: true,
  handler: (ctx, uid, data) => resetProgress(ctx, uid, data),
});

export const setWatchlistCallable = defineCallable({
  name: "setWatchlist",
  schema: setWatchlistRequestSchema,
  profile: true,
  handler: (ctx, uid, data) => setWatchlist(ctx, uid, data),
});

export const rateCallable = defineCallable({
  name: "rate",
  schema: rateRequestSchema,
  profile: true,
  handler: (ctx, uid, data) => rate(ctx, uid, data),
});

export const getCalendarCallable = defineCallable({
  name: "getCalendar",
  schema: getCalendarRequestSchema,
  profile: true,
  handler: (ctx, uid, data) => getCalendar(ctx, uid, data),
  // A cold library goes through TMDB show by show.
  options: { timeoutSeconds: 300 },
});

export const createCalendarFeedCallable = defineCallable({
  name: "createCalendarFeed",
  tmdb: false,
  schema: createCalendarFeedRequestSchema,
  profile: true,
  handler: async (ctx, uid) => createCalendarFeed(ctx, uid, await publicFunctionUrl("calendarFeed")),
});

export const revokeCalendarFeedCallable = defineCallable({
  name: "revokeCalendarFeed",
  tmdb: false,
  schema: revokeCalendarFeedRequestSchema,
  profile: true,
  handler: (ctx, uid) => revokeCalendarFeed(ctx, uid),
});

export const registerDeviceCallable = defineCallable({
  name: "registerDevice",
  tmdb: false,
  schema: registerDeviceRequestSchema,
  profile: true,
  handler: (ctx, uid, data) => registerDevice(ctx, uid, data),
});

export const unregisterDeviceCallable = defineCallable({
  name: "unregisterDevice",
  tmdb: false,
  schema: unregisterDeviceRequestSchema,
  profile: true,
  handler: (ctx, uid, data) => unregisterDevice(ctx, uid, data),
});

export const markMovieWatchedCallable = defineCallable({
  name: "markMovieWatched",
  schema: markMovieWatchedRequestSchema,
  profile: true,
  handler: (ctx, uid, data) => markMovieWatched(ctx, uid, data),
});

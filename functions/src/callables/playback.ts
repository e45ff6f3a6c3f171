import { clearPlayback, getContinueWatching } from "../playback/continueWatching";
import { savePlayback } from "../playback/savePlayback";
import { clearPlaybackRequestSchema, getContinueWatchingRequestSchema, savePlaybackRequestSchema } from "../playback/schemas";
import { defineCallable } from "./defineCallable";

export const savePlaybackCallable = defineCallable({
  name: "savePlayback",
  schema: savePlaybackRequestSchema,
  profile: true,
  handler: (ctx, uid, data) => savePlayback(ctx, uid, data),
});

export const getContinueWatchingCallable = defineCallable({
  name: "getContinueWatching",
  schema: getContinueWatchingRequestSchema,
  profile: true,
  handler: (ctx, uid, { limit }) => getContinueWatching(ctx.db, uid, limit),
  tmdb: false,
});

export const clearPlaybackCallable = defineCallable({
  name: "clearPlayback",
  schema: clearPlaybackRequestSchema,
  profile: true,
  handler: (ctx, uid, { media }) => clearPlayback(ctx.db, uid, media),
  tmdb: false,
});

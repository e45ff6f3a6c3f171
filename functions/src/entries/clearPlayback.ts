import { clearPlayback } from "../playback/continueWatching";
import { clearPlaybackRequestSchema } from "../playback/schemas";
import { defineCallable } from "../callables/defineCallable";

export default defineCallable({
  name: "clearPlayback",
  schema: clearPlaybackRequestSchema,
  profile: true,
  handler: (ctx, uid, { media }) => clearPlayback(ctx.db, uid, media),
  tmdb: false,
});

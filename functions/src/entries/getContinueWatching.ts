import { getContinueWatching } from "../playback/continueWatching";
import { getContinueWatchingRequestSchema } from "../playback/schemas";
import { defineCallable } from "../callables/defineCallable";

export default defineCallable({
  name: "getContinueWatching",
  schema: getContinueWatchingRequestSchema,
  profile: true,
  handler: (ctx, uid, { limit }) => getContinueWatching(ctx.db, uid, limit),
  tmdb: false,
});

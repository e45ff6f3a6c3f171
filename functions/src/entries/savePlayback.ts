import { savePlayback } from "../playback/savePlayback";
import { savePlaybackRequestSchema } from "../playback/schemas";
import { defineCallable } from "../callables/defineCallable";

export default defineCallable({
  name: "savePlayback",
  schema: savePlaybackRequestSchema,
  profile: true,
  handler: (ctx, uid, data) => savePlayback(ctx, uid, data),
});

import { setReactionRequestSchema } from "../reactions/schemas";
import { setReaction } from "../reactions/toggleReaction";
import { defineCallable } from "../callables/defineCallable";

/** The retry-safe form of toggleReaction: the caller's reaction afterwards is exactly `type` (null: none). */
export default defineCallable({
  name: "setReaction",
  schema: setReactionRequestSchema,
  profile: true,
  handler: async (ctx, uid, request) => (await setReaction(ctx, uid, request)).response,
});

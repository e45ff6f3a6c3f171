import { toggleReactionRequestSchema } from "../reactions/schemas";
import { toggleReaction } from "../reactions/toggleReaction";
import { defineCallable } from "../callables/defineCallable";

export default defineCallable({
  name: "toggleReaction",
  schema: toggleReactionRequestSchema,
  profile: true,
  handler: async (ctx, uid, request) => (await toggleReaction(ctx, uid, request)).response,
});

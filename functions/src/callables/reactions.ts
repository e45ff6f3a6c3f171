import { getReactions } from "../reactions/getReactions";
import { getReactionsRequestSchema, toggleReactionRequestSchema } from "../reactions/schemas";
import { toggleReaction } from "../reactions/toggleReaction";
import { defineCallable } from "./defineCallable";

export const toggleReactionCallable = defineCallable({
  name: "toggleReaction",
  schema: toggleReactionRequestSchema,
  handler: async (ctx, uid, request) => (await toggleReaction(ctx, uid, request)).response,
});

export const getReactionsCallable = defineCallable({
  name: "getReactions",
  schema: getReactionsRequestSchema,
  handler: (ctx, uid, request) => getReactions(ctx, uid, request),
});

import { getReactions } from "../reactions/getReactions";
import { getReactionsRequestSchema, setReactionRequestSchema, toggleReactionRequestSchema } from "../reactions/schemas";
import { setReaction, toggleReaction } from "../reactions/toggleReaction";
import { defineCallable } from "./defineCallable";

export const toggleReactionCallable = defineCallable({
  name: "toggleReaction",
  schema: toggleReactionRequestSchema,
  profile: true,
  handler: async (ctx, uid, request) => (await toggleReaction(ctx, uid, request)).response,
});

/** The retry-safe form of toggleReaction: the caller's reaction afterwards is exactly `type` (null: none). */
export const setReactionCallable = defineCallable({
  name: "setReaction",
  schema: setReactionRequestSchema,
  profile: true,
  handler: async (ctx, uid, request) => (await setReaction(ctx, uid, request)).response,
});

export const getReactionsCallable = defineCallable({
  name: "getReactions",
  schema: getReactionsRequestSchema,
  profile: true,
  handler: (ctx, uid, request) => getReactions(ctx, uid, request),
});

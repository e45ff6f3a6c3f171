import { getReactions } from "../reactions/getReactions";
import { getReactionsRequestSchema } from "../reactions/schemas";
import { defineCallable } from "../callables/defineCallable";

export default defineCallable({
  name: "getReactions",
  schema: getReactionsRequestSchema,
  profile: true,
  handler: (ctx, uid, request) => getReactions(ctx, uid, request),
});

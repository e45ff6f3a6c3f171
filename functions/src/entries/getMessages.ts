import { getMessages } from "../social/messages";
import { getMessagesRequestSchema } from "../social/schemas";
import { defineCallable } from "../callables/defineCallable";

/** Shared items' details come from the cache as it is: never TMDB. */
export default defineCallable({
  name: "getMessages",
  tmdb: false,
  schema: getMessagesRequestSchema,
  handler: (ctx, uid, data) => getMessages(ctx, uid, data),
});

import { markConversationRead } from "../social/conversations";
import { markConversationReadRequestSchema } from "../social/schemas";
import { defineCallable } from "../callables/defineCallable";

export default defineCallable({
  name: "markConversationRead",
  tmdb: false,
  schema: markConversationReadRequestSchema,
  handler: (ctx, uid, data) => markConversationRead(ctx, uid, data),
});

import { openConversation } from "../social/conversations";
import { openConversationRequestSchema } from "../social/schemas";
import { defineCallable } from "../callables/defineCallable";

export default defineCallable({
  name: "openConversation",
  tmdb: false,
  schema: openConversationRequestSchema,
  handler: (ctx, uid, data) => openConversation(ctx, uid, data),
});

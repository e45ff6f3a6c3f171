import { setBlocked } from "../social/friends";
import { setBlockedRequestSchema } from "../social/schemas";
import { defineCallable } from "../callables/defineCallable";

export default defineCallable({
  name: "setBlocked",
  tmdb: false,
  schema: setBlockedRequestSchema,
  handler: (ctx, uid, data) => setBlocked(ctx, uid, data),
});

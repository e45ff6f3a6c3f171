import { removeFriend } from "../social/friends";
import { removeFriendRequestSchema } from "../social/schemas";
import { defineCallable } from "../callables/defineCallable";

export default defineCallable({
  name: "removeFriend",
  tmdb: false,
  schema: removeFriendRequestSchema,
  handler: (ctx, uid, data) => removeFriend(ctx, uid, data),
});

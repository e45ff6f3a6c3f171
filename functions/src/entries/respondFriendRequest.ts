import { respondFriendRequest } from "../social/friends";
import { respondFriendRequestRequestSchema } from "../social/schemas";
import { defineCallable } from "../callables/defineCallable";

export default defineCallable({
  name: "respondFriendRequest",
  tmdb: false,
  schema: respondFriendRequestRequestSchema,
  handler: (ctx, uid, data) => respondFriendRequest(ctx, uid, data),
});

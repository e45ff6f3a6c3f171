import { sendFriendRequest } from "../social/friends";
import { sendFriendRequestRequestSchema } from "../social/schemas";
import { defineCallable } from "../callables/defineCallable";

/** Per-user budget: friend requests per day. */
export default defineCallable({
  name: "sendFriendRequest",
  tmdb: false,
  schema: sendFriendRequestRequestSchema,
  rateLimit: "friendRequests",
  handler: (ctx, uid, data) => sendFriendRequest(ctx, uid, data),
});

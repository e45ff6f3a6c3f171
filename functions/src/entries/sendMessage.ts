import { metered } from "../shared/app";
import { sendMessage } from "../social/messages";
import { pushSenderForRuntime } from "../social/notify";
import { sendMessageRequestSchema } from "../social/schemas";
import { defineCallable } from "../callables/defineCallable";

/** A share is resolved through the TMDB cache (a cold item costs one TMDB request across all users). */
export default defineCallable({
  name: "sendMessage",
  schema: sendMessageRequestSchema,
  rateLimit: "messages",
  handler: (ctx, uid, data) => sendMessage(metered(ctx), pushSenderForRuntime(), uid, data),
});

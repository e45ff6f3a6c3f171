import { deleteWebhook } from "../webhooks/secrets";
import { deleteWebhookRequestSchema } from "../webhooks/schemas";
import { defineCallable } from "../callables/defineCallable";

export default defineCallable({
  name: "deleteWebhook",
  tmdb: false,
  schema: deleteWebhookRequestSchema,
  profile: true,
  handler: (ctx, uid, { webhookId }) => deleteWebhook(ctx.db, uid, webhookId),
});

import { createWebhook } from "../webhooks/secrets";
import { createWebhookRequestSchema } from "../webhooks/schemas";
import { defineCallable } from "../callables/defineCallable";

export default defineCallable({
  name: "createWebhook",
  tmdb: false,
  schema: createWebhookRequestSchema,
  profile: true,
  handler: (ctx, uid, data) => createWebhook(ctx, uid, data),
});

import { scrobble } from "../scrobble/scrobble";
import { scrobbleRequestSchema } from "../scrobble/schemas";
import { createWebhook, deleteWebhook } from "../webhooks/secrets";
import { createWebhookRequestSchema, deleteWebhookRequestSchema } from "../webhooks/schemas";
import { defineCallable } from "./defineCallable";

export const scrobbleCallable = defineCallable({
  name: "scrobble",
  schema: scrobbleRequestSchema,
  profile: true,
  handler: (ctx, uid, data) => scrobble(ctx, uid, data),
});

export const createWebhookCallable = defineCallable({
  name: "createWebhook",
  tmdb: false,
  schema: createWebhookRequestSchema,
  profile: true,
  handler: (ctx, uid, data) => createWebhook(ctx, uid, data),
});

export const deleteWebhookCallable = defineCallable({
  name: "deleteWebhook",
  tmdb: false,
  schema: deleteWebhookRequestSchema,
  profile: true,
  handler: (ctx, uid, { webhookId }) => deleteWebhook(ctx.db, uid, webhookId),
});

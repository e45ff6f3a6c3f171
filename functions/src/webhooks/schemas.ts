import { z } from "zod";
import { documentIdSchema, profileIdField } from "../shared/validation";

/** `createWebhook` (README: Scrobbling and media-server webhooks): `account` limits a Plex webhook to one Plex account (`Account.title`). */
export const createWebhookRequestSchema = z.object({
  kind: z.enum(["plex", "jellyfin"]),
  account: z.string().trim().min(1).max(200).optional(),
  ...profileIdField,
});
export const createWebhookResponseSchema = z.object({
  webhookId: z.string(),
  /** The secret URL to paste into the media server; shown once, never stored (only its hash is). */
  url: z.string(),
});

export const deleteWebhookRequestSchema = z.object({ webhookId: documentIdSchema.max(128), ...profileIdField });
export const deleteWebhookResponseSchema = z.object({ deleted: z.boolean() });

export type WebhookKind = z.infer<typeof createWebhookRequestSchema>["kind"];
export type CreateWebhookRequest = z.infer<typeof createWebhookRequestSchema>;
export type CreateWebhookResponse = z.infer<typeof createWebhookResponseSchema>;
export type DeleteWebhookRequest = z.infer<typeof deleteWebhookRequestSchema>;
export type DeleteWebhookResponse = z.infer<typeof deleteWebhookResponseSchema>;

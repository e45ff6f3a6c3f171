import * as logger from "firebase-functions/logger";

/** One line per answered webhook request; never the secret or the body. */
export function logWebhookHandled(fields: {
  uid: string;
  webhookId: string;
  server: string | null;
  result: string;
  status: number;
  tmdbCalls: number;
  durationMs: number;
}): void {
  logger.info("webhook handled", fields);
}

export function logWebhookFailed(fields: { uid: string; webhookId: string; error: unknown }): void {
  const error =
    fields.error instanceof Error ? { message: fields.error.message, stack: fields.error.stack } : { message: String(fields.error) };
  logger.error("webhook failed", { uid: fields.uid, webhookId: fields.webhookId, ...error });
}

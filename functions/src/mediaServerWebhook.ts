import { onRequest } from "firebase-functions/v2/https";
import { appContextFromParams } from "./app";
import { TMDB_API_KEY } from "./config";
import { handleWebhook } from "./webhooks/handleWebhook";

/**
 * `mediaServerWebhook`: the secret URL `createWebhook` hands out (`POST /{secret}`), for Plex and
 * Jellyfin. Thin: the request goes to `handleWebhook`, whose answer is sent as JSON.
 */
export const mediaServerWebhook = onRequest({ region: "us-central1", secrets: [TMDB_API_KEY], timeoutSeconds: 60 }, async (req, res) => {
  const answer = await handleWebhook(appContextFromParams(), {
    method: req.method,
    path: req.path,
    contentType: req.get("content-type"),
    contentLength: req.get("content-length"),
    body: req.rawBody,
  });
  res
    .status(answer.status)
    .set({ "Cache-Control": "no-store", ...answer.headers })
    .json(answer.body);
});

import { defineHttpEndpoint } from "../triggers/http";
import { handleWebhook } from "../webhooks/handleWebhook";

/**
 * `mediaServerWebhook`: the secret URL `createWebhook` hands out (`POST /{secret}`), for Plex and
 * Jellyfin; answers JSON.
 */
export default defineHttpEndpoint({
  name: "mediaServerWebhook",
  options: { timeoutSeconds: 60 },
  handler: (ctx, request) => handleWebhook(ctx, request),
});

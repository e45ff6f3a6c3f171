import { syncHistoryRequestSchema } from "../history/schemas";
import { syncHistory } from "../history/syncHistory";
import { defineCallable } from "../callables/defineCallable";

export default defineCallable({
  name: "syncHistory",
  schema: syncHistoryRequestSchema,
  profile: true,
  handler: (ctx, uid, { items }) => syncHistory(ctx, uid, items),
  rateLimit: "import",
  options: { timeoutSeconds: 300, memory: "512MiB" },
});

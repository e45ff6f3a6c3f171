import { markWatched } from "../history/markWatched";
import { markWatchedRequestSchema } from "../history/schemas";
import { defineCallable } from "../callables/defineCallable";

export default defineCallable({
  name: "markWatched",
  schema: markWatchedRequestSchema,
  handler: (ctx, uid, request) => markWatched(ctx, uid, request),
  // Season and show marks load seasons through TMDB: the same budget as enrichment.
  rateLimit: "enrichment",
  options: { timeoutSeconds: 120 },
});

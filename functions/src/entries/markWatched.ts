import { markWatched, markWatchedTogether } from "../history/markWatched";
import { markWatchedRequestSchema } from "../history/schemas";
import { defineCallable } from "../callables/defineCallable";

export default defineCallable({
  name: "markWatched",
  schema: markWatchedRequestSchema,
  profile: true,
  // "We watched it together": `profileIds`, each authorised by defineCallable, marked by one call.
  handler: (ctx, uid, request, { profileIds }) =>
    profileIds ? markWatchedTogether(ctx, profileIds, request) : markWatched(ctx, uid, request),
  // Season and show marks load seasons through TMDB: the same budget as enrichment.
  rateLimit: "enrichment",
  options: { timeoutSeconds: 120 },
});

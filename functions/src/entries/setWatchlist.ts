import { setWatchlistRequestSchema } from "../library/schemas";
import { setWatchlist } from "../library/watchlist";
import { defineCallable } from "../callables/defineCallable";

export default defineCallable({
  name: "setWatchlist",
  schema: setWatchlistRequestSchema,
  profile: true,
  handler: (ctx, uid, data) => setWatchlist(ctx, uid, data),
});

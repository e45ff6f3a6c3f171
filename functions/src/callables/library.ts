import { rate } from "../library/ratings";
import { resetProgress } from "../library/resetProgress";
import { rateRequestSchema, resetProgressRequestSchema, setShowStatusRequestSchema, setWatchlistRequestSchema } from "../library/schemas";
import { setShowStatus } from "../library/showStatus";
import { setWatchlist } from "../library/watchlist";
import { defineCallable } from "./defineCallable";

export const setShowStatusCallable = defineCallable({
  name: "setShowStatus",
  schema: setShowStatusRequestSchema,
  handler: (ctx, uid, data) => setShowStatus(ctx, uid, data),
});

export const resetProgressCallable = defineCallable({
  name: "resetProgress",
  schema: resetProgressRequestSchema,
  handler: (ctx, uid, data) => resetProgress(ctx, uid, data),
});

export const setWatchlistCallable = defineCallable({
  name: "setWatchlist",
  schema: setWatchlistRequestSchema,
  handler: (ctx, uid, data) => setWatchlist(ctx, uid, data),
});

export const rateCallable = defineCallable({
  name: "rate",
  schema: rateRequestSchema,
  handler: (ctx, uid, data) => rate(ctx, uid, data),
});

import { exportHistory } from "../history/exportHistory";
import { importCsv } from "../history/importCsv";
import { markWatched, markWatchedTogether } from "../history/markWatched";
import { exportHistoryRequestSchema, importCsvRequestSchema, markWatchedRequestSchema, syncHistoryRequestSchema } from "../history/schemas";
import { syncHistory } from "../history/syncHistory";
import { defineCallable } from "./defineCallable";

export const syncHistoryCallable = defineCallable({
  name: "syncHistory",
  schema: syncHistoryRequestSchema,
  profile: true,
  handler: (ctx, uid, { items }) => syncHistory(ctx, uid, items),
  rateLimit: "import",
  options: { timeoutSeconds: 300, memory: "512MiB" },
});

export const importCsvCallable = defineCallable({
  name: "importCsv",
  schema: importCsvRequestSchema,
  profile: true,
  handler: (ctx, uid, { csv }) => importCsv(ctx, uid, csv),
  rateLimit: "import",
  options: { timeoutSeconds: 540, memory: "512MiB" },
});

export const exportHistoryCallable = defineCallable({
  name: "exportHistory",
  schema: exportHistoryRequestSchema,
  profile: true,
  handler: (ctx, uid, request) => exportHistory(ctx, uid, request),
});

export const markWatchedCallable = defineCallable({
  name: "markWatched",
  schema: markWatchedRequestSchema,
  profile: true,
  handler: (ctx, uid, request, { profileIds }) =>
    profileIds ? markWatchedTogether(ctx, profileIds, request) : markWatched(ctx, uid, request),
  // Season and show marks load seasons through TMDB: the same budget as enrichment.
  rateLimit: "enrichment",
  options: { timeoutSeconds: 120 },
});

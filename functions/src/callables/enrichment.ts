import { enrichLibrary } from "../enrichment/enrichLibrary";
import { enrichShow } from "../enrichment/enrichShow";
import { enrichLibraryRequestSchema, enrichShowRequestSchema } from "../enrichment/schemas";
import { defineCallable } from "./defineCallable";

export const enrichShowCallable = defineCallable({
  name: "enrichShow",
  schema: enrichShowRequestSchema,
  profile: true,
  rateLimit: "enrichment",
  handler: async (ctx, uid, { showId }) => {
    const { malformedKeys, ...response } = await enrichShow(ctx, uid, showId);
    return response;
  },
});

export const enrichLibraryCallable = defineCallable({
  name: "enrichLibrary",
  schema: enrichLibraryRequestSchema,
  profile: true,
  rateLimit: "enrichment",
  handler: (ctx, uid) => enrichLibrary(ctx, uid),
  options: { timeoutSeconds: 300 },
});

import { enrichShow } from "../enrichment/enrichShow";
import { enrichShowRequestSchema } from "../enrichment/schemas";
import { defineCallable } from "../callables/defineCallable";

export default defineCallable({
  name: "enrichShow",
  schema: enrichShowRequestSchema,
  profile: true,
  rateLimit: "enrichment",
  handler: async (ctx, uid, { showId }) => {
    const { malformedKeys, ...response } = await enrichShow(ctx, uid, showId);
    return response;
  },
});

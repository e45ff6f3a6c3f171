import { enrichLibrary } from "../enrichment/enrichLibrary";
import { enrichLibraryRequestSchema } from "../enrichment/schemas";
import { defineCallable } from "../callables/defineCallable";

export default defineCallable({
  name: "enrichLibrary",
  schema: enrichLibraryRequestSchema,
  profile: true,
  rateLimit: "enrichment",
  handler: (ctx, uid) => enrichLibrary(ctx, uid),
  options: { timeoutSeconds: 300 },
});

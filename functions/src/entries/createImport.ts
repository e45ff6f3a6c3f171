import { createImportRequestSchema } from "../imports/schemas";
import { createImport } from "../imports/upload";
import { defineCallable } from "../callables/defineCallable";

export default defineCallable({
  name: "createImport",
  tmdb: false,
  schema: createImportRequestSchema,
  profile: true,
  handler: (ctx, uid, request) => createImport(ctx, uid, request),
  rateLimit: "import",
});

import { uploadImportPartRequestSchema } from "../imports/schemas";
import { uploadImportPart } from "../imports/upload";
import { defineCallable } from "../callables/defineCallable";

/** A 50 MB file is 100 parts: their own budget, generous enough for one upload at full speed. */
export default defineCallable({
  name: "uploadImportPart",
  tmdb: false,
  schema: uploadImportPartRequestSchema,
  profile: true,
  handler: (ctx, uid, request) => uploadImportPart(ctx, uid, request),
  rateLimit: "importParts",
  options: { memory: "512MiB" },
});

import { cloudTasksImportQueue, type ImportQueue } from "../imports/queue";
import { createImportRequestSchema, startImportRequestSchema, uploadImportPartRequestSchema } from "../imports/schemas";
import { createImport, startImport, uploadImportPart } from "../imports/upload";
import { defineCallable } from "./defineCallable";

let queue: ImportQueue | undefined;
const importQueue = () => (queue ??= cloudTasksImportQueue());

export const createImportCallable = defineCallable({
  name: "createImport",
  tmdb: false,
  schema: createImportRequestSchema,
  profile: true,
  handler: (ctx, uid, request) => createImport(ctx, uid, request),
  rateLimit: "import",
});

/** A 50 MB file is 100 parts: their own budget, generous enough for one upload at full speed. */
export const uploadImportPartCallable = defineCallable({
  name: "uploadImportPart",
  tmdb: false,
  schema: uploadImportPartRequestSchema,
  profile: true,
  handler: (ctx, uid, request) => uploadImportPart(ctx, uid, request),
  rateLimit: "importParts",
  options: { memory: "512MiB" },
});

export const startImportCallable = defineCallable({
  name: "startImport",
  tmdb: false,
  schema: startImportRequestSchema,
  profile: true,
  handler: (ctx, uid, request) => startImport({ ...ctx, queue: importQueue() }, uid, request),
});

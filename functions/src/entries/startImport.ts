import { cloudTasksImportQueue, type ImportQueue } from "../imports/queue";
import { startImportRequestSchema } from "../imports/schemas";
import { startImport } from "../imports/upload";
import { defineCallable } from "../callables/defineCallable";

let queue: ImportQueue | undefined;

const importQueue = () => (queue ??= cloudTasksImportQueue());

export default defineCallable({
  name: "startImport",
  tmdb: false,
  schema: startImportRequestSchema,
  profile: true,
  handler: (ctx, uid, request) => startImport({ ...ctx, queue: importQueue() }, uid, request),
});

import { importCsv } from "../history/importCsv";
import { importCsvRequestSchema } from "../history/schemas";
import { defineCallable } from "../callables/defineCallable";

export default defineCallable({
  name: "importCsv",
  schema: importCsvRequestSchema,
  profile: true,
  handler: (ctx, uid, { csv }) => importCsv(ctx, uid, csv),
  rateLimit: "import",
  options: { timeoutSeconds: 540, memory: "512MiB" },
});

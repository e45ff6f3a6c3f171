import { getLibrary } from "../progress/getLibrary";
import { getLibraryRequestSchema } from "../progress/schemas";
import { defineCallable } from "../callables/defineCallable";

export default defineCallable({
  name: "getLibrary",
  schema: getLibraryRequestSchema,
  profile: true,
  handler: (ctx, uid, data) => getLibrary(ctx, uid, data),
  // A cold library goes through TMDB show by show.
  options: { timeoutSeconds: 300 },
});

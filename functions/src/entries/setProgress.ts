import { setProgress } from "../progress/pointer";
import { setProgressRequestSchema } from "../progress/schemas";
import { defineCallable } from "../callables/defineCallable";

export default defineCallable({
  name: "setProgress",
  schema: setProgressRequestSchema,
  profile: true,
  handler: (ctx, uid, data) => setProgress(ctx, uid, data),
});

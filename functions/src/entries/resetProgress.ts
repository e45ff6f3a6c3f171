import { resetProgress } from "../library/resetProgress";
import { resetProgressRequestSchema } from "../library/schemas";
import { defineCallable } from "../callables/defineCallable";

export default defineCallable({
  name: "resetProgress",
  schema: resetProgressRequestSchema,
  profile: true,
  handler: (ctx, uid, data) => resetProgress(ctx, uid, data),
});

import { getShowProgress } from "../progress/getShowProgress";
import { getShowProgressRequestSchema } from "../progress/schemas";
import { defineCallable } from "../callables/defineCallable";

export default defineCallable({
  name: "getShowProgress",
  schema: getShowProgressRequestSchema,
  profile: true,
  handler: (ctx, uid, data) => getShowProgress(ctx, uid, data),
});

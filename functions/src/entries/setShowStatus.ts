import { setShowStatusRequestSchema } from "../library/schemas";
import { setShowStatus } from "../library/showStatus";
import { defineCallable } from "../callables/defineCallable";

export default defineCallable({
  name: "setShowStatus",
  schema: setShowStatusRequestSchema,
  profile: true,
  handler: (ctx, uid, data) => setShowStatus(ctx, uid, data),
});

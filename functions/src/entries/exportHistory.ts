import { exportHistory } from "../history/exportHistory";
import { exportHistoryRequestSchema } from "../history/schemas";
import { defineCallable } from "../callables/defineCallable";

export default defineCallable({
  name: "exportHistory",
  schema: exportHistoryRequestSchema,
  profile: true,
  handler: (ctx, uid, request) => exportHistory(ctx, uid, request),
});

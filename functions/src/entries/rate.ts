import { rate } from "../library/ratings";
import { rateRequestSchema } from "../library/schemas";
import { defineCallable } from "../callables/defineCallable";

export default defineCallable({
  name: "rate",
  schema: rateRequestSchema,
  profile: true,
  handler: (ctx, uid, data) => rate(ctx, uid, data),
});

import { defineCallable } from "../callables/defineCallable";
import { joinHousehold } from "../households/households";
import { JOIN_HOUSEHOLD_RATE_LIMIT } from "../households/requests";
import { joinHouseholdRequestSchema } from "../households/schemas";

export default defineCallable({
  name: "joinHousehold",
  tmdb: false,
  schema: joinHouseholdRequestSchema,
  rateLimit: JOIN_HOUSEHOLD_RATE_LIMIT,
  handler: (ctx, uid, data) => joinHousehold(ctx, uid, data),
});

import { defineCallable } from "../callables/defineCallable";
import { createHousehold } from "../households/households";
import { createHouseholdRequestSchema } from "../households/schemas";

export default defineCallable({
  name: "createHousehold",
  tmdb: false,
  schema: createHouseholdRequestSchema,
  handler: (ctx, uid, data) => createHousehold(ctx, uid, data),
});

import { defineCallable } from "../callables/defineCallable";
import { createHouseholdInvite } from "../households/households";
import { createHouseholdInviteRequestSchema } from "../households/schemas";

export default defineCallable({
  name: "createHouseholdInvite",
  tmdb: false,
  schema: createHouseholdInviteRequestSchema,
  handler: (ctx, uid) => createHouseholdInvite(ctx, uid),
});

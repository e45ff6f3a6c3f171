import { defineCallable } from "../callables/defineCallable";
import { removeHouseholdMember } from "../households/households";
import { removeHouseholdMemberRequestSchema } from "../households/schemas";

export default defineCallable({
  name: "removeHouseholdMember",
  tmdb: false,
  schema: removeHouseholdMemberRequestSchema,
  handler: async (ctx, uid, data) => {
    await removeHouseholdMember(ctx, uid, data);
    return { removed: true as const };
  },
});

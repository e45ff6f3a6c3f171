import { defineCallable } from "../callables/defineCallable";
import { leaveHousehold } from "../households/households";
import { purgeProfiles } from "../households/requests";
import { leaveHouseholdRequestSchema } from "../households/schemas";

export default defineCallable({
  name: "leaveHousehold",
  tmdb: false,
  schema: leaveHouseholdRequestSchema,
  // The last member leaving ends the household: its managed profiles' data goes with it.
  handler: async (ctx, uid) => {
    await purgeProfiles(ctx, (await leaveHousehold(ctx, uid)).purge);
    return { left: true as const };
  },
  options: { timeoutSeconds: 120 },
});

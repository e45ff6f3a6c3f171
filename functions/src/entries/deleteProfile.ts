import { defineCallable } from "../callables/defineCallable";
import { deleteProfile } from "../households/households";
import { purgeProfiles } from "../households/requests";
import { deleteProfileRequestSchema } from "../households/schemas";

export default defineCallable({
  name: "deleteProfile",
  tmdb: false,
  schema: deleteProfileRequestSchema,
  handler: async (ctx, uid, data) => {
    await purgeProfiles(ctx, [await deleteProfile(ctx, uid, data)]);
    return { deleted: true as const };
  },
  options: { timeoutSeconds: 120 },
});

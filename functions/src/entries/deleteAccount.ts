import { defineCallable } from "../callables/defineCallable";
import { deleteAccountFor } from "../households/requests";
import { deleteAccountRequestSchema } from "../households/schemas";

export default defineCallable({
  name: "deleteAccount",
  tmdb: false,
  schema: deleteAccountRequestSchema,
  handler: async (ctx, uid) => {
    await deleteAccountFor(ctx, uid);
    return { deleted: true as const };
  },
  options: { timeoutSeconds: 120 },
});

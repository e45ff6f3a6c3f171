import { defineCallable } from "../callables/defineCallable";
import { createProfile } from "../households/households";
import { createProfileRequestSchema } from "../households/schemas";

export default defineCallable({
  name: "createProfile",
  tmdb: false,
  schema: createProfileRequestSchema,
  handler: (ctx, uid, data) => createProfile(ctx, uid, data),
});

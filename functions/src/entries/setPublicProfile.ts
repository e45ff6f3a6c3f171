import { setPublicProfile } from "../social/profiles";
import { setPublicProfileRequestSchema } from "../social/schemas";
import { defineCallable } from "../callables/defineCallable";

/** CONTRACT §10. Friends and DMs belong to accounts, not managed profiles: no `profileId`. */
export default defineCallable({
  name: "setPublicProfile",
  tmdb: false,
  schema: setPublicProfileRequestSchema,
  handler: (ctx, uid, data) => setPublicProfile(ctx, uid, data),
});

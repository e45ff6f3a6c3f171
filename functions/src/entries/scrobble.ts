import { scrobble } from "../scrobble/scrobble";
import { scrobbleRequestSchema } from "../scrobble/schemas";
import { defineCallable } from "../callables/defineCallable";

export default defineCallable({
  name: "scrobble",
  schema: scrobbleRequestSchema,
  profile: true,
  handler: (ctx, uid, data) => scrobble(ctx, uid, data),
});

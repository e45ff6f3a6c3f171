import { defineCallable } from "../callables/defineCallable";
import { cloudNamesQueue } from "../language/reenrichNames";
import { setPreferencesRequestSchema } from "../language/schemas";
import { setPreferences } from "../language/setPreferences";

export default defineCallable({
  name: "setPreferences",
  profile: true,
  schema: setPreferencesRequestSchema,
  handler: (ctx, uid, data) => setPreferences(ctx, cloudNamesQueue(), uid, data),
});

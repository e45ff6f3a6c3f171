import { cloudNamesQueue } from "../language/reenrichNames";
import { setPreferencesRequestSchema } from "../language/schemas";
import { setPreferences } from "../language/setPreferences";
import { defineCallable } from "./defineCallable";

export const setPreferencesCallable = defineCallable({
  name: "setPreferences",
  schema: setPreferencesRequestSchema,
  handler: (ctx, uid, data) => setPreferences(ctx, cloudNamesQueue(), uid, data),
});

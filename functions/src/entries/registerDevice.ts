import { registerDevice } from "../library/devices";
import { registerDeviceRequestSchema } from "../library/schemas";
import { defineCallable } from "../callables/defineCallable";

export default defineCallable({
  name: "registerDevice",
  tmdb: false,
  schema: registerDeviceRequestSchema,
  profile: true,
  handler: (ctx, uid, data) => registerDevice(ctx, uid, data),
});

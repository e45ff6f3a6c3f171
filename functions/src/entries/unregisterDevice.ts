import { unregisterDevice } from "../library/devices";
import { unregisterDeviceRequestSchema } from "../library/schemas";
import { defineCallable } from "../callables/defineCallable";

export default defineCallable({
  name: "unregisterDevice",
  tmdb: false,
  schema: unregisterDeviceRequestSchema,
  profile: true,
  handler: (ctx, uid, data) => unregisterDevice(ctx, uid, data),
});

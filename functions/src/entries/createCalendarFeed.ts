import { createCalendarFeed } from "../library/calendarFeed";
import { publicFunctionUrl } from "../shared/publicUrls";
import { createCalendarFeedRequestSchema } from "../library/schemas";
import { defineCallable } from "../callables/defineCallable";

export default defineCallable({
  name: "createCalendarFeed",
  tmdb: false,
  schema: createCalendarFeedRequestSchema,
  profile: true,
  handler: async (ctx, uid) => createCalendarFeed(ctx, uid, await publicFunctionUrl("calendarFeed")),
});

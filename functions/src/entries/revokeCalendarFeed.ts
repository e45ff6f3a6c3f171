import { revokeCalendarFeed } from "../library/calendarFeed";
import { revokeCalendarFeedRequestSchema } from "../library/schemas";
import { defineCallable } from "../callables/defineCallable";

export default defineCallable({
  name: "revokeCalendarFeed",
  tmdb: false,
  schema: revokeCalendarFeedRequestSchema,
  profile: true,
  handler: (ctx, uid) => revokeCalendarFeed(ctx, uid),
});

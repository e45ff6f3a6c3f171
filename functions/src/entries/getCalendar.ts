import { getCalendar } from "../library/calendar";
import { getCalendarRequestSchema } from "../library/schemas";
import { defineCallable } from "../callables/defineCallable";

export default defineCallable({
  name: "getCalendar",
  schema: getCalendarRequestSchema,
  profile: true,
  handler: (ctx, uid, data) => getCalendar(ctx, uid, data),
  // A cold library goes through TMDB show by show.
  options: { timeoutSeconds: 300 },
});

import { handleCalendarFeed } from "../library/calendarFeed";
import { defineHttpEndpoint } from "../triggers/http";

/** `calendarFeed`: the secret iCalendar URL `createCalendarFeed` hands out (`GET /{uid}/{secret}.ics`). */
export default defineHttpEndpoint({
  name: "calendarFeed",
  options: { timeoutSeconds: 120 },
  handler: (ctx, request) => handleCalendarFeed(ctx, request),
});

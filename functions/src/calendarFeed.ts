import { onRequest } from "firebase-functions/v2/https";
import { appContextFromParams } from "./app";
import { TMDB_API_KEY } from "./config";
import { CALENDAR_UID_DOMAIN, serveCalendarFeed } from "./library/calendarFeed";

/**
 * `calendarFeed`: the secret iCalendar URL `createCalendarFeed` hands out (`GET /{uid}/{secret}.ics`).
 * Thin: the path goes to `serveCalendarFeed`; a wrong, revoked or unknown feed is the same plain 404.
 */
export const calendarFeed = onRequest({ region: "us-central1", secrets: [TMDB_API_KEY], timeoutSeconds: 120 }, async (req, res) => {
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.status(405).set("Allow", "GET, HEAD").send("Method Not Allowed");
    return;
  }
  const answer = await serveCalendarFeed(appContextFromParams(), req.path, CALENDAR_UID_DOMAIN);
  res.set("Cache-Control", "private, max-age=900");
  if (answer.status === 404) {
    res.status(404).type("text/plain").send("Not Found");
    return;
  }
  res.status(200).type("text/calendar; charset=utf-8").send(answer.body);
});

import { onRequest } from "firebase-functions/v2/https";
import { appContextFromParams } from "./app";
import { TMDB_API_KEY } from "./config";
import { handleCalendarFeed } from "./library/calendarFeed";

/**
 * `calendarFeed`: the secret iCalendar URL `createCalendarFeed` hands out (`GET /{uid}/{secret}.ics`).
 * Thin: the request goes to `handleCalendarFeed`, whose answer is sent as is.
 */
export const calendarFeed = onRequest({ region: "us-central1", secrets: [TMDB_API_KEY], timeoutSeconds: 120 }, async (req, res) => {
  const answer = await handleCalendarFeed(appContextFromParams(), {
    method: req.method,
    path: req.path,
    contentLength: req.get("content-length"),
    body: req.rawBody,
  });
  res.status(answer.status).set(answer.headers).send(answer.body);
});

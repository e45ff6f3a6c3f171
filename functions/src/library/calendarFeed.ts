import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { Timestamp, type Firestore } from "firebase-admin/firestore";
import type { AppContext } from "../shared/app";
import { AppError } from "../shared/errors";
import { consumeRateLimit, type RateLimitPolicy } from "../security/rateLimit";
import { addDays, calendarForShows, followedShows } from "./calendar";
import { renderCalendar } from "./ical";
import { todayIn } from "../language/airTime";
import { readPreferences } from "../language/preferences";
import { logCalendarFeed, logCalendarFeedChanged } from "./logs";
import type { CreateCalendarFeedResponse, RevokeCalendarFeedResponse } from "./schemas";
import type { HttpAnswer, HttpRequestInfo } from "../shared/http";

/**
 * The secret iCalendar feed (docs/API.md: library callables). Its URL is `{functionUrl}/{uid}/{secret}.ics`; only
 * sha256(secret) is stored, in `users/{uid}/calendar_feed/feed`, and compared in constant time. Creating
 * a feed again replaces the secret (the old URL stops working); revoking deletes it. A wrong, revoked or
 * unknown URL, for a user that exists or not, gets the same 404 after the same work.
 */
export interface CalendarFeedDoc {
  secretHash: string;
  createdAt: Timestamp;
}

/** The domain part of every event UID: fixed, so UIDs stay stable whatever host serves the feed. */
export const CALENDAR_UID_DOMAIN = "tvtracker.calendar";

/** Days before today the feed starts (recently aired) and days it covers in all. */
export const FEED_PAST_DAYS = 7;
export const FEED_DAYS = 97;

const feedRef = (db: Firestore, uid: string) => db.collection("users").doc(uid).collection("calendar_feed").doc("feed");
const sha256 = (text: string) => createHash("sha256").update(text).digest();
/** Compared against when there is no stored hash, so an unknown user costs the same as a wrong secret. */
const NO_HASH = sha256("no calendar feed");

export async function createCalendarFeed(
  ctx: Pick<AppContext, "db" | "clock">,
  uid: string,
  functionUrl: string,
): Promise<CreateCalendarFeedResponse> {
  const secret = randomBytes(32).toString("base64url");
  await feedRef(ctx.db, uid).set({
    secretHash: sha256(secret).toString("hex"),
    createdAt: Timestamp.fromDate(ctx.clock()),
  } satisfies CalendarFeedDoc);
  logCalendarFeedChanged({ uid, action: "created" });
  return { url: `${functionUrl.replace(/\/+$/, "")}/${encodeURIComponent(uid)}/${secret}.ics` };
}

export async function revokeCalendarFeed(ctx: Pick<AppContext, "db">, uid: string): Promise<RevokeCalendarFeedResponse> {
  const ref = feedRef(ctx.db, uid);
  const revoked = await ctx.db.runTransaction(async (tx) => {
    const snap = await tx.get(ref);
    if (snap.exists) tx.delete(ref);
    return snap.exists;
  });
  logCalendarFeedChanged({ uid, action: "revoked", revoked });
  return { revoked };
}

/** `/{uid}/{secret}.ics` (or without `.ics`) → its parts; null for anything else. */
export function parseFeedPath(path: string): { uid: string; secret: string } | null {
  const match = /^\/?([^/]{1,128})\/([A-Za-z0-9_-]{16,128})(?:\.ics)?$/.exec(path);
  if (!match) return null;
  let uid: string;
  try {
    uid = decodeURIComponent(match[1]);
  } catch {
    return null;
  }
  if (uid.includes("/") || uid === "." || uid === ".." || /^__.*__$/.test(uid)) return null;
  return { uid, secret: match[2] };
}

export type FeedAnswer = { status: 200; body: string } | { status: 404 } | { status: 429; retryAfterSeconds: number };

/**
 * Per feed (one secret per user): calendar apps poll every 15 minutes to a few hours, so a handful of
 * devices fit well inside it; a leaked URL hammered by a script costs one read a request once it is spent.
 */
export const CALENDAR_FEED_RATE_LIMIT: RateLimitPolicy = { name: "calendarFeed", perMinute: 6, burst: 30 };

type FeedDeps = Pick<AppContext, "db" | "cache" | "clock" | "config" | "tmdb">;

/**
 * The feed for a request path: the calendar of the feed's owner, or 404 (same answer for every failure:
 * one read of `users/{uid}/calendar_feed/feed` whether or not the user exists, then a constant-time
 * compare against a stand-in hash when there is none), or 429 once the feed's rate limit is spent.
 * Nothing is written before the secret matches.
 */
export async function serveCalendarFeed(
  deps: FeedDeps,
  path: string,
  host: string,
  rateLimit: RateLimitPolicy = CALENDAR_FEED_RATE_LIMIT,
): Promise<FeedAnswer> {
  const started = Date.now();
  const parsed = parseFeedPath(path);
  const snap = parsed ? await feedRef(deps.db, parsed.uid).get() : null;
  const stored = snap?.get("secretHash");
  const expected = typeof stored === "string" && /^[0-9a-f]{64}$/.test(stored) ? Buffer.from(stored, "hex") : NO_HASH;
  const given = sha256(parsed?.secret ?? "");
  const matches = timingSafeEqual(expected, given) && expected !== NO_HASH;
  if (!parsed || !matches) {
    logCalendarFeed({ outcome: "not-found", durationMs: Date.now() - started });
    return { status: 404 };
  }
  const now = deps.clock();
  try {
    await consumeRateLimit(deps.db, `calendar_feed_${parsed.uid}`, rateLimit, now);
  } catch (error) {
    if (!(error instanceof AppError && error.code === "resource-exhausted")) throw error;
    logCalendarFeed({ outcome: "rate-limited", uid: parsed.uid, durationMs: Date.now() - started });
    return { status: 429, retryAfterSeconds: Number(error.details?.retryAfterSeconds ?? 60) };
  }
  // The owner's days and names (CONTRACT §11).
  const [preferences, showIds] = await Promise.all([readPreferences(deps.db, parsed.uid), followedShows(deps.db, parsed.uid)]);
  const from = addDays(todayIn(now, preferences.timeZone), -FEED_PAST_DAYS);
  const { items } = await calendarForShows(
    deps,
    showIds,
    { from, end: addDays(from, FEED_DAYS), timeZone: preferences.timeZone },
    { language: preferences.language },
  );
  logCalendarFeed({ outcome: "served", uid: parsed.uid, items: items.length, durationMs: Date.now() - started });
  return { status: 200, body: renderCalendar(items, now, host, preferences.timeZone) };
}

/** A request to `calendarFeed` (`GET /{uid}/{secret}.ics`), and its text answer (always with headers). */
export type FeedRequest = HttpRequestInfo;
export type FeedHttpAnswer = HttpAnswer<string> & { headers: Record<string, string> };

/** Longer than any URL `createCalendarFeed` hands out (uid ≤ 128 encoded, secret 43, `.ics`). */
export const MAX_FEED_PATH_LENGTH = 512;

const plain = (status: number, body: string, headers: Record<string, string> = {}): FeedHttpAnswer => ({
  status,
  headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store", ...headers },
  body,
});

/**
 * `calendarFeed` (docs/API.md: library callables) at the HTTP level. Checked in this order, each before any read or write:
 * method (405), a body (413: a feed request has none), path length (414); then the secret (404 for
 * unknown, revoked or malformed alike) and the feed's rate limit (429). `HEAD` answers like `GET`
 * without the body. TMDB down while a cold library is loaded is 503 with `Retry-After`.
 */
export async function handleCalendarFeed(
  deps: FeedDeps,
  request: FeedRequest,
  options: { rateLimit?: RateLimitPolicy } = {},
): Promise<FeedHttpAnswer> {
  if (request.method !== "GET" && request.method !== "HEAD") return plain(405, "Method Not Allowed", { Allow: "GET, HEAD" });
  const declared = Number(request.contentLength ?? 0);
  if (!(declared === 0) || (request.body?.length ?? 0) > 0) return plain(413, "A feed request has no body");
  if (request.path.length > MAX_FEED_PATH_LENGTH) return plain(414, "URI Too Long");
  let answer: FeedAnswer;
  try {
    answer = await serveCalendarFeed(deps, request.path, CALENDAR_UID_DOMAIN, options.rateLimit);
  } catch (error) {
    if (error instanceof AppError && error.code === "unavailable")
      return plain(503, "TMDB is unavailable; try again later", { "Retry-After": "60" });
    throw error;
  }
  const head = request.method === "HEAD";
  if (answer.status === 404) return plain(404, head ? "" : "Not Found");
  if (answer.status === 429) return plain(429, head ? "" : "Too Many Requests", { "Retry-After": String(answer.retryAfterSeconds) });
  return {
    status: 200,
    headers: { "Content-Type": "text/calendar; charset=utf-8", "Cache-Control": "private, max-age=900" },
    body: head ? "" : answer.body,
  };
}

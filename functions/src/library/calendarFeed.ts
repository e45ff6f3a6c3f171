import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { Timestamp, type Firestore } from "firebase-admin/firestore";
import { defineString } from "firebase-functions/params";
import type { AppContext } from "../app";
import { addDays, calendarForShows, followedShows } from "./calendar";
import { renderCalendar } from "./ical";
import { logCalendarFeed, logCalendarFeedChanged } from "./logs";
import type { CreateCalendarFeedResponse, RevokeCalendarFeedResponse } from "./schemas";

/**
 * The secret iCalendar feed (CONTRACT §7). Its URL is `{functionUrl}/{uid}/{secret}.ics`; only
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

/**
 * Where the deployed functions are reachable, e.g. `https://us-central1-my-project.cloudfunctions.net`
 * (a custom domain in front of them works too). `auto` (the default): derived from the project, or the
 * local emulator's default address when emulated. (An empty default would make the CLI prompt for it.)
 */
export const PUBLIC_FUNCTIONS_URL = defineString("PUBLIC_FUNCTIONS_URL", { default: "auto" });

/** The `calendarFeed` function's URL, from `PUBLIC_FUNCTIONS_URL` or the project. */
export function calendarFeedFunctionUrl(): string {
  const configured = PUBLIC_FUNCTIONS_URL.value() === "auto" ? "" : PUBLIC_FUNCTIONS_URL.value();
  const project = process.env.GCLOUD_PROJECT ?? "demo-tvtracker";
  const base = configured || (process.env.FUNCTIONS_EMULATOR === "true" ? `http://127.0.0.1:5001/${project}/us-central1` : `https://us-central1-${project}.cloudfunctions.net`);
  return `${base.replace(/\/+$/, "")}/calendarFeed`;
}

/** Days before today the feed starts (recently aired) and days it covers in all. */
export const FEED_PAST_DAYS = 7;
export const FEED_DAYS = 97;

const feedRef = (db: Firestore, uid: string) => db.collection("users").doc(uid).collection("calendar_feed").doc("feed");
const sha256 = (text: string) => createHash("sha256").update(text).digest();
/** Compared against when there is no stored hash, so an unknown user costs the same as a wrong secret. */
const NO_HASH = sha256("no calendar feed");

export async function createCalendarFeed(ctx: Pick<AppContext, "db" | "clock">, uid: string, functionUrl: string): Promise<CreateCalendarFeedResponse> {
  const secret = randomBytes(32).toString("base64url");
  await feedRef(ctx.db, uid).set({ secretHash: sha256(secret).toString("hex"), createdAt: Timestamp.fromDate(ctx.clock()) } satisfies CalendarFeedDoc);
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

export type FeedAnswer = { status: 200; body: string } | { status: 404 };

/** The feed for a request path: the calendar of the feed's owner, or 404 (same answer for every failure). */
export async function serveCalendarFeed(deps: Pick<AppContext, "db" | "cache" | "clock" | "config" | "tmdb">, path: string, host: string): Promise<FeedAnswer> {
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
  const from = addDays(now.toISOString().slice(0, 10), -FEED_PAST_DAYS);
  const showIds = await followedShows(deps.db, parsed.uid);
  const { items } = await calendarForShows(deps, showIds, { from, end: addDays(from, FEED_DAYS) });
  logCalendarFeed({ outcome: "served", uid: parsed.uid, items: items.length, durationMs: Date.now() - started });
  return { status: 200, body: renderCalendar(items, now, host) };
}

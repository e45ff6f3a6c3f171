import fc from "fast-check";
import ICAL from "ical.js";
import { countFirestore } from "../../bench/firestoreCounter";
import {
  createCalendarFeed,
  handleCalendarFeed,
  MAX_FEED_PATH_LENGTH,
  revokeCalendarFeed,
  type FeedRequest,
} from "../../functions/src/library/calendarFeed";
import { functionsOriginFromHub } from "../../functions/src/shared/publicUrls";
import { rateLimitRef } from "../../functions/src/security/rateLimit";
import { trackingRef } from "../../functions/src/tracking/trackingDoc";
import { addDays, utcToday } from "../../tools/fake-tmdb/catalog";
import { startTestEnv, uniqueId, uniqueShowId, type TestEnv } from "../support/admin";

let env: TestEnv;
let counter: ReturnType<typeof countFirestore>;
beforeAll(async () => {
  env = await startTestEnv();
  // Every read and write the handler makes goes through env.db: counted at the RPC boundary.
  counter = countFirestore(env.db);
});
afterAll(() => env.close());

const FEED_URL = "https://functions.example.test/calendarFeed";
const today = utcToday();

/** A user following one show with an episode airing today, and their feed's path (`/{uid}/{secret}.ics`). */
async function feedOwner() {
  const uid = uniqueId("user");
  const showId = uniqueShowId();
  await env.fake.setShow(showId, { name: `Feed ${showId}`, seasons: [{ episodes: 2, airDates: [addDays(today, -1), today] }] });
  await trackingRef(env.db, uid, showId).set({ showId, episodes: {} });
  const { url } = await createCalendarFeed(env.context(), uid, FEED_URL);
  const path = url.slice(FEED_URL.length);
  return { uid, showId, path, secret: path.split("/")[2].replace(/\.ics$/, "") };
}

const get = (path: string, extra: Partial<FeedRequest> = {}) => handleCalendarFeed(env.context(), { method: "GET", path, ...extra });

/** Reads and writes (and TMDB requests) one handler call costs. */
async function measured(request: FeedRequest) {
  const ctx = env.context();
  const before = counter.counts();
  const answer = await handleCalendarFeed(ctx, request);
  const after = counter.counts();
  return { answer, reads: after.reads - before.reads, writes: after.writes - before.writes, tmdbCalls: ctx.tmdb.requestCount };
}

const flip = (secret: string) => secret.slice(0, -1) + (secret.endsWith("A") ? "B" : "A");

describe("calendarFeed over HTTP (handler in process)", () => {
  it("serves GET and HEAD, refuses other methods, bodies and over-long paths before any read", async () => {
    const { path, showId } = await feedOwner();
    const served = await get(path);
    expect(served).toMatchObject({ status: 200, headers: { "Content-Type": "text/calendar; charset=utf-8" } });
    const events = new ICAL.Component(ICAL.parse(served.body)).getAllSubcomponents("vevent").map((v) => new ICAL.Event(v));
    expect(events.map((e) => e.uid)).toEqual([`tv-${showId}-1-1@tvtracker.calendar`, `tv-${showId}-1-2@tvtracker.calendar`]);
    expect(await get(path, { method: "HEAD" })).toMatchObject({ status: 200, body: "" });

    for (const [request, status] of [
      [{ method: "POST", path }, 405],
      [{ method: "DELETE", path }, 405],
      [{ method: "GET", path, contentLength: "5", body: Buffer.from("hello") }, 413],
      [{ method: "GET", path, contentLength: "10000000000" }, 413],
      [{ method: "GET", path: `${path}${"x".repeat(MAX_FEED_PATH_LENGTH)}` }, 414],
    ] as const) {
      const { answer, reads, writes } = await measured(request);
      expect([answer.status, reads, writes]).toEqual([status, 0, 0]);
    }
    expect((await get(path, { method: "PUT" })).headers).toMatchObject({ Allow: "GET, HEAD" });
  });

  it("answers an unknown secret the same, at the same cost, whether or not the user exists or has a feed", async () => {
    const owner = await feedOwner();
    const revoked = await feedOwner();
    await revokeCalendarFeed(env.context(), revoked.uid);
    const cases = [
      `/${owner.uid}/${flip(owner.secret)}.ics`, // the user and a feed exist, wrong secret
      `/${revoked.uid}/${owner.secret}.ics`, // the user exists, the feed was revoked
      `/${revoked.uid}/${revoked.secret}.ics`, // the revoked feed's own URL
      `/${uniqueId("nobody")}/${owner.secret}.ics`, // no such user
    ];
    const results = [];
    for (const path of cases) results.push(await measured({ method: "GET", path }));
    for (const result of results) expect(result).toEqual({ answer: results[0].answer, reads: 1, writes: 0, tmdbCalls: 0 });
    expect(results[0].answer).toEqual({
      status: 404,
      headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
      body: "Not Found",
    });
  });

  it("rate-limits per feed: 429 with Retry-After once the budget is spent, other feeds unaffected, a denied request writes nothing", async () => {
    const a = await feedOwner();
    const b = await feedOwner();
    const limited = (path: string) =>
      handleCalendarFeed(env.context(), { method: "GET", path }, { rateLimit: { name: "calendarFeed", perMinute: 1, burst: 2 } });
    expect((await limited(a.path)).status).toBe(200);
    expect((await limited(a.path)).status).toBe(200);
    const before = counter.counts();
    const denied = await limited(a.path);
    expect(denied).toMatchObject({ status: 429, headers: { "Retry-After": expect.stringMatching(/^[1-9]\d*$/) } });
    expect(counter.counts().writes - before.writes).toBe(0);
    expect((await limited(b.path)).status).toBe(200);
    // A wrong secret for a spent feed is still a plain 404: the limit is only looked at after the secret matched.
    expect((await limited(`/${a.uid}/${flip(a.secret)}.ics`)).status).toBe(404);
  });

  it("fuzz: 1,000 random methods, paths, secrets and headers get a 4xx, never a 5xx, and write nothing", async () => {
    const owner = await feedOwner();
    const bucket = rateLimitRef(env.db, `calendar_feed_${owner.uid}`);
    const feedDoc = env.db.collection("users").doc(owner.uid).collection("calendar_feed").doc("feed");
    const storedBefore = (await feedDoc.get()).data();

    const secretLike = fc.stringMatching(/^[A-Za-z0-9_-]{16,128}$/);
    const segment = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.string({ unit: "binary", maxLength: 40 }),
      fc.constantFrom(".", "..", "%2F", "%2e%2e", "__name__", "%", "%E0%A4%A", "users", owner.uid, "", " ", "\u0000", "a".repeat(129)),
      secretLike,
    );
    const path = fc.oneof(
      // Near misses of the real URL: its secret flipped, cut, padded; another user's id with it; no `.ics` and a wrong suffix.
      fc.constantFrom(
        `/${owner.uid}/${flip(owner.secret)}.ics`,
        `/${owner.uid}/${owner.secret.slice(0, -1)}.ics`,
        `/${owner.uid}/${owner.secret}A.ics`,
        `/${owner.uid}/${owner.secret}.ical`,
        `/${owner.uid}/${owner.secret}/`,
        `//${owner.uid}/${owner.secret}.ics`,
        `/${owner.uid}/../${owner.secret}.ics`,
        `/${encodeURIComponent(`${owner.uid}/x`)}/${owner.secret}.ics`,
        `/${owner.uid.toUpperCase()}/${owner.secret}.ics`,
      ),
      secretLike.map((secret) => `/${owner.uid}/${secret}.ics`),
      fc.tuple(segment, secretLike).map(([uid, secret]) => `/${uid}/${secret}.ics`),
      fc.array(segment, { maxLength: 6 }).map((parts) => `/${parts.join("/")}`),
      fc.string({ maxLength: 2 * MAX_FEED_PATH_LENGTH }),
      fc.nat({ max: 4 * MAX_FEED_PATH_LENGTH }).map((n) => `/${owner.uid}/${"A".repeat(n)}.ics`),
    );
    // Weighted towards requests that get past the early refusals, so most cases reach the secret check.
    const method = fc.oneof(
      { arbitrary: fc.constantFrom("GET", "HEAD"), weight: 4 },
      { arbitrary: fc.constantFrom("POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT", "get", "PROPFIND", ""), weight: 1 },
      { arbitrary: fc.string({ maxLength: 10 }), weight: 1 },
    );
    const headers = fc.record({
      "content-length": fc.oneof(
        { arbitrary: fc.constantFrom(undefined, "0"), weight: 3 },
        {
          arbitrary: fc.oneof(fc.constantFrom("", "-1", "1", "abc", "1e309", "9".repeat(40), " 0", "0x10"), fc.nat().map(String)),
          weight: 1,
        },
      ),
      "content-type": fc.constantFrom("text/calendar", "application/json", "multipart/form-data; boundary=b"),
      "x-forwarded-for": fc.ipV4(),
    });
    const body = fc.oneof(
      { arbitrary: fc.constant(undefined), weight: 3 },
      { arbitrary: fc.uint8Array({ maxLength: 256 }).map((bytes) => Buffer.from(bytes)), weight: 1 },
    );

    const ctx = env.context();
    const before = counter.counts();
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(method, path, headers, body, async (m, p, h, b) => {
        const answer = await handleCalendarFeed(ctx, { method: m, path: p, contentLength: h["content-length"], body: b });
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        expect(answer.status).toBeGreaterThanOrEqual(400);
        expect(answer.status).toBeLessThan(500);
        expect(answer.body.length).toBeLessThan(100);
      }),
      { numRuns: 1000 },
    );
    expect(counter.counts().writes - before.writes).toBe(0);
    expect(ctx.tmdb.requestCount).toBe(0);
    expect((await bucket.get()).exists).toBe(false);
    expect((await feedDoc.get()).data()).toEqual(storedBefore);
    // The generators reach every early refusal as well as the secret check.
    expect([...statuses.keys()].sort()).toEqual([404, 405, 413, 414]);
    // And the real URL still works afterwards.
    expect((await get(owner.path)).status).toBe(200);
  });
});

describe("the Functions emulator's origin from the hub", () => {
  it("reads host and port of the running Functions emulator, null when it is not listed", () => {
    expect(
      functionsOriginFromHub({ functions: { name: "functions", host: "127.0.0.1", port: 9001 }, hub: { host: "127.0.0.1", port: 8400 } }),
    ).toBe("http://127.0.0.1:9001");
    expect(functionsOriginFromHub({ functions: { host: "::1", port: 5001 } })).toBe("http://[::1]:5001");
    expect(functionsOriginFromHub({ functions: { host: "0.0.0.0", port: 5001 } })).toBe("http://127.0.0.1:5001");
    expect(functionsOriginFromHub({ firestore: { host: "127.0.0.1", port: 8080 } })).toBeNull();
    expect(functionsOriginFromHub(null)).toBeNull();
  });
});

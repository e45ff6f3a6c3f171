import { FieldValue } from "firebase-admin/firestore";
import ICAL from "ical.js";
import { calendarForShows, getCalendar } from "../../functions/src/library/calendar";
import { createCalendarFeed, revokeCalendarFeed, serveCalendarFeed } from "../../functions/src/library/calendarFeed";
import { getCalendarResponseSchema } from "../../functions/src/library/schemas";
import { setShowStatus } from "../../functions/src/library/showStatus";
import { getLibrary } from "../../functions/src/progress/getLibrary";
import { librarySummaryRef } from "../../functions/src/progress/librarySummary";
import { trackingRef } from "../../functions/src/tracking/trackingDoc";
import { addDays, utcToday } from "../../tools/fake-tmdb/catalog";
import { startTestEnv, uniqueId, uniqueShowId, type TestEnv } from "../support/admin";

let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(() => env.close());

const today = utcToday();
const FEED_URL = "https://functions.example.test/calendarFeed";

/**
 * An old finished season; a running one with an episode last week, today, in 3 and 10 days, one far
 * out and one with no date yet; and a next season with no dates at all.
 */
const airing = (name: string) => ({
  name,
  seasons: [
    { episodes: 3, airDate: "2019-01-01" },
    { episodes: 6, airDates: [addDays(today, -7), today, addDays(today, 3), addDays(today, 10), addDays(today, 60), null] },
    { episodes: 2 },
  ],
});

async function follow(uid: string, ...showIds: number[]) {
  for (const showId of showIds) await trackingRef(env.db, uid, showId).set({ showId, episodes: { "1_1": { watched: true } } });
}

describe("getCalendar", () => {
  it("lists the followed shows' episodes airing in the window by air date, skipping undated, past and hidden ones", async () => {
    const uid = uniqueId("user");
    const [a, b, dropped, paused, other] = [uniqueShowId(), uniqueShowId(), uniqueShowId(), uniqueShowId(), uniqueShowId()];
    for (const showId of [a, b, dropped, paused, other]) await env.fake.setShow(showId, airing(`Show ${showId}`));
    await follow(uid, a, b, dropped, paused);
    const ctx = env.context();
    await setShowStatus(ctx, uid, { showId: dropped, status: "dropped" });
    await setShowStatus(ctx, uid, { showId: paused, status: "paused" });

    const { items } = getCalendarResponseSchema.parse(await getCalendar(ctx, uid, { days: 14 }));
    const row = (showId: number, episode: number, airDate: string) => ({
      showId,
      name: `Show ${showId}`,
      season: 2,
      episode,
      episodeName: `S2E${episode} of Show ${showId}`,
      airDate,
    });
    expect(items).toEqual([
      row(a, 2, today),
      row(b, 2, today),
      row(a, 3, addDays(today, 3)),
      row(b, 3, addDays(today, 3)),
      row(a, 4, addDays(today, 10)),
      row(b, 4, addDays(today, 10)),
    ]);

    // A window in the past shows what aired then; the default is 7 days from today.
    const lastWeek = await getCalendar(ctx, uid, { from: addDays(today, -7), days: 2 });
    expect(lastWeek.items.map((i) => [i.showId, i.episode])).toEqual([
      [a, 1],
      [b, 1],
    ]);
    expect((await getCalendar(ctx, uid, {})).items.map((i) => i.episode)).toEqual([2, 2, 3, 3]);

    // Dropping a show takes it off the calendar; watching it again brings it back.
    await setShowStatus(ctx, uid, { showId: b, status: "dropped" });
    expect((await getCalendar(ctx, uid, { days: 14 })).items.every((i) => i.showId === a)).toBe(true);
    await setShowStatus(ctx, uid, { showId: dropped, status: "watching" });
    expect(new Set((await getCalendar(ctx, uid, { days: 14 })).items.map((i) => i.showId))).toEqual(new Set([a, dropped]));
  });

  it("takes the followed shows from the library summary, checking only entries a tracking write marked since", async () => {
    const uid = uniqueId("user");
    const [a, b, c] = [uniqueShowId(), uniqueShowId(), uniqueShowId()];
    for (const showId of [a, b, c]) await env.fake.setShow(showId, airing(`Show ${showId}`));
    await follow(uid, a, b, c);
    const ctx = env.context();
    const shows = async () => new Set((await getCalendar(ctx, uid, { days: 14 })).items.map((i) => i.showId));
    await getLibrary(ctx, uid); // builds the summary: every tracked show has an entry now

    await setShowStatus(ctx, uid, { showId: b, status: "paused" }); // b's entry is stale: its status is read
    expect(await shows()).toEqual(new Set([a, c]));
    await getLibrary(ctx, uid); // b's entry recomputed: paused, from the summary alone
    expect(await shows()).toEqual(new Set([a, c]));
    await setShowStatus(ctx, uid, { showId: b, status: "watching" });
    expect(await shows()).toEqual(new Set([a, b, c]));

    // The summary, not the documents: a status written behind the tracking writer's back (which always marks
    // the entry) is not seen until that show's entry is marked; nor is a document written behind its back
    // once the summary is `complete` (built from a listing). A show followed through the writer is seen.
    await getLibrary(ctx, uid);
    await trackingRef(env.db, uid, c).update({ status: "dropped" });
    expect(await shows()).toEqual(new Set([a, b, c]));
    const [d, e] = [uniqueShowId(), uniqueShowId()];
    for (const showId of [d, e]) await env.fake.setShow(showId, airing(`Show ${showId}`));
    await follow(uid, d);
    expect(await shows()).toEqual(new Set([a, b, c]));
    await setShowStatus(ctx, uid, { showId: e, status: "watching" });
    expect(await shows()).toEqual(new Set([a, b, c, e]));

    // A summary without the mark (written before it existed) is checked with a count() of the documents: one
    // it does not know sends the calendar back to listing them.
    await librarySummaryRef(env.db, uid).update({ complete: FieldValue.delete() });
    expect(await shows()).toEqual(new Set([a, b, d, e]));
  });

  it("answers a warm library from the cache without TMDB, reading only the seasons that can air in the window", async () => {
    const uid = uniqueId("user");
    const showIds = Array.from({ length: 30 }, () => uniqueShowId());
    for (const showId of showIds) await env.fake.setShow(showId, airing(`Show ${showId}`));
    await follow(uid, ...showIds);
    const window = { from: today, end: addDays(today, 7) };

    const cold = env.context();
    const first = await calendarForShows(cold, showIds, window);
    expect(first.items).toHaveLength(60);
    expect(first.stats.tmdbCalls).toBeGreaterThan(0);

    const warm = env.context();
    const second = await calendarForShows(warm, showIds, window);
    expect(second.items).toEqual(first.items);
    expect(warm.tmdb.requestCount).toBe(0);
    // The running season 2 and the undated season 3 of each show; never the old season 1.
    expect(second.stats).toEqual({ shows: 30, seasonsRead: 60, cold: 0, tmdbCalls: 0 });
  });
});

describe("calendar feed", () => {
  it("serves the calendar as iCalendar at the secret URL, with stable UIDs, until revoked", async () => {
    const uid = uniqueId("user");
    const [a, b] = [uniqueShowId(), uniqueShowId()];
    await env.fake.setShow(a, airing("Feed; Show, With \\ Specials"));
    await env.fake.setShow(b, airing(`Show ${b}`));
    await follow(uid, a, b);
    const ctx = env.context();

    const { url } = await createCalendarFeed(ctx, uid, FEED_URL);
    expect(url.startsWith(`${FEED_URL}/${uid}/`)).toBe(true);
    const path = url.slice(FEED_URL.length);
    const secret = path.split("/")[2].replace(/\.ics$/, "");
    // Only a hash of the secret is stored.
    const stored = JSON.stringify((await env.db.collection("users").doc(uid).collection("calendar_feed").get()).docs.map((d) => d.data()));
    expect(stored).not.toContain(secret);

    const answer = await serveCalendarFeed(ctx, path, "tvtracker.calendar");
    expect(answer.status).toBe(200);
    const body = answer.status === 200 ? answer.body : "";
    const calendar = new ICAL.Component(ICAL.parse(body));
    const events = calendar.getAllSubcomponents("vevent").map((v) => new ICAL.Event(v));
    // A week back and two months ahead: episodes 1-5 of season 2 of both shows; the undated one is not there.
    expect(events).toHaveLength(10);
    const aEvents = events.filter((e) => e.uid.startsWith(`tv-${a}-`));
    expect(aEvents.map((e) => [e.uid, e.startDate.toString(), e.startDate.isDate])).toEqual([
      [`tv-${a}-2-1@tvtracker.calendar`, addDays(today, -7), true],
      [`tv-${a}-2-2@tvtracker.calendar`, today, true],
      [`tv-${a}-2-3@tvtracker.calendar`, addDays(today, 3), true],
      [`tv-${a}-2-4@tvtracker.calendar`, addDays(today, 10), true],
      [`tv-${a}-2-5@tvtracker.calendar`, addDays(today, 60), true],
    ]);
    expect(aEvents[1].summary).toBe(`Feed; Show, With \\ Specials S02E02 S2E2 of Feed; Show, With \\ Specials`);
    expect(body.split("\r\n").every((line) => Buffer.byteLength(line) <= 75)).toBe(true);

    // Served again: the same UIDs (calendar apps update events rather than duplicate them).
    const again = await serveCalendarFeed(ctx, path, "tvtracker.calendar");
    const uids = (text: string) =>
      new ICAL.Component(ICAL.parse(text)).getAllSubcomponents("vevent").map((v) => v.getFirstPropertyValue("uid"));
    expect(again.status === 200 && uids(again.body)).toEqual(uids(body));

    // Wrong secret, unknown user, malformed path: the same 404.
    const wrong = path.replace(secret, secret.slice(0, -1) + (secret.endsWith("A") ? "B" : "A"));
    for (const bad of [wrong, `/${uniqueId("nobody")}/${secret}.ics`, "/", "/x", `/${uid}/../${secret}.ics`]) {
      expect(await serveCalendarFeed(ctx, bad, "tvtracker.calendar")).toEqual({ status: 404 });
    }

    // A new feed replaces the old URL; revoking ends it.
    const renewed = await createCalendarFeed(ctx, uid, FEED_URL);
    expect(await serveCalendarFeed(ctx, path, "tvtracker.calendar")).toEqual({ status: 404 });
    const renewedPath = renewed.url.slice(FEED_URL.length);
    expect((await serveCalendarFeed(ctx, renewedPath, "tvtracker.calendar")).status).toBe(200);
    expect(await revokeCalendarFeed(ctx, uid)).toEqual({ revoked: true });
    expect(await serveCalendarFeed(ctx, renewedPath, "tvtracker.calendar")).toEqual({ status: 404 });
    expect(await revokeCalendarFeed(ctx, uid)).toEqual({ revoked: false });
  });
});

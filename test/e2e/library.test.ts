import { collection, doc, getDoc, getDocs } from "firebase/firestore";
import ICAL from "ical.js";
import { projectId, uniqueShowId } from "../support/admin";
import { sharedFakeTmdb, type ClientUser } from "../support/client";
import { useE2eEnv } from "../support/e2e";
import { addDays, utcToday } from "../../tools/fake-tmdb/catalog";

const e2e = useE2eEnv();
const user = () => e2e.user();
const fake = sharedFakeTmdb();
const offset = Number(process.env.EMULATOR_PORT_OFFSET ?? 0);
const today = utcToday();
const LONG_AGO = "2024-03-01T20:00:00.000Z";

/** An old finished season 1, and a season 2 with an episode last week, today, in 3 and in 10 days. */
const airing = (name: string) => ({
  name,
  seasons: [
    { episodes: 3, airDate: "2019-01-01" },
    { episodes: 4, airDates: [addDays(today, -7), today, addDays(today, 3), addDays(today, 10)] },
  ],
});

/** Follows a show through the client: S1E1 watched long ago. */
async function follow(u: ClientUser, showId: number) {
  await fake.setShow(showId, airing(`Lib ${showId}`));
  await u.api.markWatched({ showId, target: { type: "episodes", episodes: [{ season: 1, episode: 1, watchedAt: LONG_AGO }] } });
}

const denied = (read: Promise<unknown>) =>
  read.then(
    () => "allowed",
    (error: { code?: string }) => error.code,
  );

describe("show status through the client SDK", () => {
  it("paused and dropped shows leave getLibrary (unless includeHidden), up next and getCalendar; watching brings them back", async () => {
    const u = await user();
    const [kept, paused, dropped, planned] = [uniqueShowId(), uniqueShowId(), uniqueShowId(), uniqueShowId()];
    for (const showId of [kept, paused, dropped]) await follow(u, showId);
    await fake.setShow(planned, airing(`Lib ${planned}`));

    expect(await u.api.setShowStatus({ showId: paused, status: "paused" })).toEqual({ showId: paused, status: "paused" });
    expect(await u.api.setShowStatus({ showId: dropped, status: "dropped" })).toEqual({ showId: dropped, status: "dropped" });
    // Sent twice (a client retrying): the same answer and end state.
    expect(await u.api.setShowStatus({ showId: dropped, status: "dropped" })).toEqual({ showId: dropped, status: "dropped" });
    expect(await u.api.setShowStatus({ showId: planned, status: "planned" })).toEqual({ showId: planned, status: "planned" });

    const visible = await u.api.getLibrary({});
    expect(
      new Map(visible.shows.map((s) => [s.showId, [s.status, s.nextEpisode && [s.nextEpisode.season, s.nextEpisode.episode]]])),
    ).toEqual(
      new Map<number, unknown>([
        [kept, ["watching", [1, 2]]],
        [planned, ["planned", [1, 1]]],
      ]),
    );
    const all = await u.api.getLibrary({ includeHidden: true });
    const byId = new Map(all.shows.map((s) => [s.showId, s]));
    expect([...byId.keys()].sort()).toEqual([kept, paused, dropped, planned].sort());
    // Hidden shows are listed on request with their progress, and nothing up next.
    expect(byId.get(paused)).toMatchObject({ status: "paused", completed: 1, nextEpisode: null });
    expect(byId.get(dropped)).toMatchObject({ status: "dropped", completed: 1, nextEpisode: null });

    // The calendar: this week and next, by air date; the planned show is followed too.
    const calendar = await u.api.getCalendar({ days: 14 });
    const row = (showId: number, episode: number, airDate: string) => ({
      showId,
      name: `Lib ${showId}`,
      season: 2,
      episode,
      episodeName: `S2E${episode} of Lib ${showId}`,
      airDate,
    });
    expect(calendar.items).toEqual([
      row(kept, 2, today),
      row(planned, 2, today),
      row(kept, 3, addDays(today, 3)),
      row(planned, 3, addDays(today, 3)),
      row(kept, 4, addDays(today, 10)),
      row(planned, 4, addDays(today, 10)),
    ]);
    expect((await u.api.getCalendar({ from: addDays(today, -7), days: 1 })).items.map((i) => [i.showId, i.episode])).toEqual([
      [kept, 1],
      [planned, 1],
    ]);

    // Back to watching: in the library with up next, and on the calendar.
    await u.api.setShowStatus({ showId: paused, status: "watching" });
    expect((await u.api.getLibrary({})).shows.find((s) => s.showId === paused)).toMatchObject({
      status: "watching",
      completed: 1,
      nextEpisode: { season: 1, episode: 2 },
    });
    expect(new Set((await u.api.getCalendar({ days: 14 })).items.map((i) => i.showId))).toEqual(new Set([kept, planned, paused]));
    // The owner reads the status on the tracking document; the episodes were not touched.
    const mine = await getDoc(doc(u.firestore(), "users", u.uid, "episode_tracking", String(dropped)));
    expect(mine.data()).toMatchObject({ status: "dropped", episodes: { "1_1": { watched: true } } });

    await expect(u.call("setShowStatus", { showId: kept, status: "completed" })).rejects.toMatchObject({
      code: "functions/invalid-argument",
      message: expect.stringContaining("status"),
    });
    await expect(u.call("setShowStatus", { showId: 77_404, status: "dropped" })).rejects.toMatchObject({ code: "functions/not-found" });
  });
});

describe("rewatch through the client SDK", () => {
  it("resetProgress restarts progress and up next, a rewatch counts from there with history intact, undo restores", async () => {
    const u = await user();
    const showId = uniqueShowId();
    await fake.setShow(showId, { name: "Rewatch", seasons: [{ episodes: 3, airDate: "2019-01-01" }] });
    const all = [1, 2, 3].map((episode) => ({ season: 1, episode, watchedAt: LONG_AGO }));
    await u.api.markWatched({ showId, target: { type: "episodes", episodes: all } });
    expect(await u.api.getShowProgress({ showId })).toMatchObject({ completed: 3, percent: 100, label: "3/3 episodes", nextEpisode: null });

    const reset = await u.api.resetProgress({ showId });
    expect(reset.resetAt).toEqual(expect.any(String));
    // A retried reset (nothing rewatched since) is the same reset.
    expect(await u.api.resetProgress({ showId })).toEqual(reset);
    expect(await u.api.getShowProgress({ showId })).toMatchObject({
      completed: 0,
      percent: 0,
      label: "0/3 episodes",
      nextEpisode: { season: 1, episode: 1 },
    });
    expect((await u.api.getLibrary({})).shows.find((s) => s.showId === showId)).toMatchObject({
      completed: 0,
      nextEpisode: { season: 1, episode: 1 },
    });

    // The rewatch of S1E1: a second play, counted after the reset.
    expect(await u.api.markWatched({ showId, target: { type: "episodes", episodes: [{ season: 1, episode: 1 }] } })).toEqual({
      showId,
      changed: 1,
    });
    expect(await u.api.getShowProgress({ showId })).toMatchObject({
      completed: 1,
      label: "1/3 episodes",
      nextEpisode: { season: 1, episode: 2 },
    });
    expect((await u.api.getLibrary({})).shows.find((s) => s.showId === showId)).toMatchObject({
      completed: 1,
      nextEpisode: { season: 1, episode: 2 },
    });
    // History is never deleted: 3 first viewings and the rewatch, and the owner reads them.
    const history = await getDocs(collection(u.firestore(), "users", u.uid, "history"));
    expect(history.docs.filter((d) => d.get("showId") === showId)).toHaveLength(4);
    const tracking = await getDoc(doc(u.firestore(), "users", u.uid, "episode_tracking", String(showId)));
    expect(tracking.get("episodes.1_1.plays")).toBe(2);
    expect(tracking.get("resetAt").toDate().toISOString()).toBe(reset.resetAt);

    // Undo: everything counts again; a second undo has nothing left to undo.
    expect(await u.api.resetProgress({ showId, undo: true })).toEqual({ showId, resetAt: null });
    expect(await u.api.getShowProgress({ showId })).toMatchObject({ completed: 3, percent: 100, nextEpisode: null });
    expect(await u.api.resetProgress({ showId, undo: true })).toEqual({ showId, resetAt: null });
    expect(
      (await getDocs(collection(u.firestore(), "users", u.uid, "history"))).docs.filter((d) => d.get("showId") === showId),
    ).toHaveLength(4);
  });
});

describe("watchlist and ratings through the client SDK", () => {
  it("round-trip (retries included), readable by their owner and by no other signed-in user", async () => {
    const [owner, other] = [await user(), await user()];
    const showId = uniqueShowId();
    const movieId = uniqueShowId();
    await fake.setShow(showId, {
      name: "Listed",
      seasons: [
        { episodes: 3, airDate: "2019-01-01" },
        { episodes: 2, airDate: "2020-01-01" },
      ],
    });
    await fake.setMovie(movieId, { title: "Listed Movie", runtime: 100, releaseDate: "2001-01-01" });

    expect(await owner.api.setWatchlist({ media: { type: "show", showId }, on: true })).toEqual({ mediaKey: `tv_${showId}`, on: true });
    expect(await owner.api.setWatchlist({ media: { type: "show", showId }, on: true })).toEqual({ mediaKey: `tv_${showId}`, on: true });
    expect(await owner.api.setWatchlist({ media: { type: "movie", movieId }, on: true })).toEqual({
      mediaKey: `movie_${movieId}`,
      on: true,
    });
    expect(await owner.api.setWatchlist({ media: { type: "movie", movieId }, on: false })).toEqual({
      mediaKey: `movie_${movieId}`,
      on: false,
    });
    expect(await owner.api.setWatchlist({ media: { type: "movie", movieId }, on: false })).toEqual({
      mediaKey: `movie_${movieId}`,
      on: false,
    });
    await owner.api.setWatchlist({ media: { type: "movie", movieId }, on: true });

    const targets = [
      [{ type: "show", showId }, `tv_${showId}`, 9],
      [{ type: "season", showId, season: 2 }, `tv_${showId}_2`, 7],
      [{ type: "episode", showId, season: 1, episode: 3 }, `tv_${showId}_1_3`, 10],
      [{ type: "movie", movieId }, `movie_${movieId}`, 4],
    ] as const;
    for (const [target, ratingKey, rating] of targets) {
      expect(await owner.api.rate({ target, rating })).toEqual({ ratingKey, rating });
      expect(await owner.api.rate({ target, rating })).toEqual({ ratingKey, rating });
    }
    expect(await owner.api.rate({ target: { type: "season", showId, season: 2 }, rating: null })).toEqual({
      ratingKey: `tv_${showId}_2`,
      rating: null,
    });

    // The owner reads both collections with the client SDK.
    const watchlist = await getDocs(collection(owner.firestore(), "users", owner.uid, "watchlist"));
    expect(Object.fromEntries(watchlist.docs.map((d) => [d.id, d.get("media")]))).toEqual({
      [`tv_${showId}`]: { type: "show", showId },
      [`movie_${movieId}`]: { type: "movie", movieId },
    });
    const ratings = await getDocs(collection(owner.firestore(), "users", owner.uid, "ratings"));
    expect(Object.fromEntries(ratings.docs.map((d) => [d.id, d.get("rating")]))).toEqual({
      [`tv_${showId}`]: 9,
      [`tv_${showId}_1_3`]: 10,
      [`movie_${movieId}`]: 4,
    });
    expect(ratings.docs.every((d) => typeof d.get("ratedAt")?.toDate === "function")).toBe(true);

    // Another signed-in user reads none of it: not the documents, not the collections.
    const theirs = other.firestore();
    for (const read of [
      getDoc(doc(theirs, "users", owner.uid, "watchlist", `tv_${showId}`)),
      getDoc(doc(theirs, "users", owner.uid, "ratings", `movie_${movieId}`)),
      getDocs(collection(theirs, "users", owner.uid, "watchlist")),
      getDocs(collection(theirs, "users", owner.uid, "ratings")),
    ]) {
      expect(await denied(read)).toBe("permission-denied");
    }
    // Nor can the owner write them directly: every write goes through the callables.
    await expect(owner.call("rate", { target: { type: "movie", movieId }, rating: 11 })).rejects.toMatchObject({
      code: "functions/invalid-argument",
      message: expect.stringContaining("rating"),
    });
    await expect(owner.call("setWatchlist", { media: { type: "movie", movieId: 12_404 }, on: true })).rejects.toMatchObject({
      code: "functions/not-found",
    });
  });
});

describe("movie history through the client SDK", () => {
  it("a movie played twice via syncHistory is two plays, and exportHistory round-trips them into another account", async () => {
    const [a, b] = [await user(), await user()];
    const movieId = uniqueShowId();
    await fake.setMovie(movieId, { title: "Twice Seen", runtime: 100, releaseDate: "1999-03-31" });
    const movieItem = (id: string, watchedAt: string) => ({
      id,
      watched_at: watchedAt,
      action: "watch",
      type: "movie",
      movie: { title: "Twice Seen", year: 1999, ids: { trakt: 1, tmdb: movieId } },
    });
    const items = [movieItem("9007199254740993", "2024-02-01T20:00:00.000Z"), movieItem("501", "2024-05-01T20:00:00.000Z")];

    expect(await a.api.syncHistory({ items })).toEqual({
      added: 2,
      duplicates: 0,
      skipped: { movies: 0, noTmdbId: 0, invalid: 0 },
      shows: 0,
    });
    // Sent again: nothing doubled.
    expect(await a.api.syncHistory({ items })).toEqual({
      added: 0,
      duplicates: 2,
      skipped: { movies: 0, noTmdbId: 0, invalid: 0 },
      shows: 0,
    });
    const plays = await getDocs(collection(a.firestore(), "users", a.uid, "history"));
    expect(plays.docs.map((d) => [d.id, d.get("movieId"), d.get("showId")]).sort()).toEqual([
      ["trakt_501", movieId, undefined],
      ["trakt_9007199254740993", movieId, undefined],
    ]);

    const exported = await a.api.exportHistory({ limit: 10 });
    expect(exported).toEqual({
      items: [
        {
          id: "501",
          watched_at: "2024-05-01T20:00:00.000Z",
          action: "watch",
          type: "movie",
          movie: { title: "Twice Seen", year: 1999, ids: { tmdb: movieId } },
        },
        {
          id: "9007199254740993",
          watched_at: "2024-02-01T20:00:00.000Z",
          action: "watch",
          type: "movie",
          movie: { title: "Twice Seen", year: 1999, ids: { tmdb: movieId } },
        },
      ],
      nextPageToken: null,
    });
    expect(await b.api.syncHistory({ items: exported.items })).toMatchObject({ added: 2, duplicates: 0 });
    expect((await b.api.exportHistory({ limit: 10 })).items).toEqual(exported.items);
    // markMovieWatched on top: a third play, in the app's source.
    expect(await a.api.markMovieWatched({ movieId })).toEqual({ movieId, plays: 3 });
    expect(await denied(getDocs(collection(b.firestore(), "users", a.uid, "history")))).toBe("permission-denied");
  });
});

describe("the iCalendar feed over real HTTP", () => {
  it("createCalendarFeed's URL points at the running Functions emulator; the feed parses with ical.js; revoked is 404", async () => {
    const u = await user();
    const [a, b] = [uniqueShowId(), uniqueShowId()];
    await follow(u, a);
    await follow(u, b);
    await u.api.setShowStatus({ showId: b, status: "dropped" });

    const { url } = await u.api.createCalendarFeed({});
    // The emulator's own port (5001 shifted by EMULATOR_PORT_OFFSET), found through the emulator hub.
    const prefix = `http://127.0.0.1:${5001 + offset}/${projectId()}/us-central1/calendarFeed/${u.uid}/`;
    expect(url.startsWith(prefix)).toBe(true);
    expect(url.slice(prefix.length)).toMatch(/^[A-Za-z0-9_-]{43}\.ics$/);

    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/calendar/);
    const body = await response.text();
    const events = new ICAL.Component(ICAL.parse(body)).getAllSubcomponents("vevent").map((v) => new ICAL.Event(v));
    // A week back to three months ahead, the dropped show left out: S2E1-E4 of show a.
    expect(events.map((e) => [e.uid, e.startDate.toString(), e.startDate.isDate])).toEqual([
      [`tv-${a}-2-1@tvtracker.calendar`, addDays(today, -7), true],
      [`tv-${a}-2-2@tvtracker.calendar`, today, true],
      [`tv-${a}-2-3@tvtracker.calendar`, addDays(today, 3), true],
      [`tv-${a}-2-4@tvtracker.calendar`, addDays(today, 10), true],
    ]);
    expect(events[1].summary).toBe(`Lib ${a} S02E02 S2E2 of Lib ${a}`);
    // Fetched again: the same UIDs. HEAD answers without a body; other methods and wrong secrets do not get in.
    const again = new ICAL.Component(ICAL.parse(await (await fetch(url)).text()))
      .getAllSubcomponents("vevent")
      .map((v) => v.getFirstPropertyValue("uid"));
    expect(again).toEqual(events.map((e) => e.uid));
    expect((await fetch(url, { method: "HEAD" })).status).toBe(200);
    expect((await fetch(url, { method: "POST", body: "x" })).status).toBe(405);
    const wrong = url.replace(/.\.ics$/, (m) => (m[0] === "A" ? "B" : "A") + ".ics");
    expect((await fetch(wrong)).status).toBe(404);

    // The stored feed is a hash, readable by its owner only; the secret is nowhere in it.
    const secret = url.slice(prefix.length).replace(/\.ics$/, "");
    const stored = await getDoc(doc(u.firestore(), "users", u.uid, "calendar_feed", "feed"));
    expect(JSON.stringify(stored.data())).not.toContain(secret);
    const stranger = await user();
    expect(await denied(getDoc(doc(stranger.firestore(), "users", u.uid, "calendar_feed", "feed")))).toBe("permission-denied");

    expect(await u.api.revokeCalendarFeed({})).toEqual({ revoked: true });
    const revoked = await fetch(url);
    expect([revoked.status, await revoked.text()]).toEqual([404, "Not Found"]);
    expect(await u.api.revokeCalendarFeed({})).toEqual({ revoked: false });
  });
});

import { markWatched } from "../../functions/src/history/markWatched";
import { rate } from "../../functions/src/library/ratings";
import { resetProgress } from "../../functions/src/library/resetProgress";
import { setShowStatus } from "../../functions/src/library/showStatus";
import { setWatchlist } from "../../functions/src/library/watchlist";
import { getLibrary } from "../../functions/src/progress/getLibrary";
import { getShowProgress } from "../../functions/src/progress/getShowProgress";
import { trackingRef } from "../../functions/src/tracking/trackingDoc";
import { startTestEnv, uniqueId, uniqueShowId, type TestEnv } from "../support/admin";

let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(() => env.close());

/** A clock the test moves forward by hand: reset and rewatch are about the order of events. */
function steppedClock(startIso: string) {
  let now = Date.parse(startIso);
  return {
    clock: () => new Date(now),
    advance: (minutes: number) => {
      now += minutes * 60_000;
    },
  };
}

const aired = (name: string) => ({
  name,
  seasons: [
    { episodes: 3, airDate: "2020-01-01" },
    { episodes: 2, airDate: "2021-01-01" },
  ],
});
const userDir = (uid: string) => env.db.collection("users").doc(uid);

describe("setShowStatus", () => {
  it("hides paused and dropped shows from the library (unless includeHidden) and shows them again when watching", async () => {
    const uid = uniqueId("user");
    const [kept, paused, dropped, planned] = [uniqueShowId(), uniqueShowId(), uniqueShowId(), uniqueShowId()];
    for (const showId of [kept, paused, dropped, planned]) await env.fake.setShow(showId, aired(`Show ${showId}`));
    const ctx = env.context({ clock: () => new Date("2025-06-01T12:00:00Z") });
    for (const showId of [kept, paused, dropped]) {
      await markWatched(ctx, uid, { showId, target: { type: "episodes", episodes: [{ season: 1, episode: 1 }] } });
    }

    expect(await setShowStatus(ctx, uid, { showId: paused, status: "paused" })).toEqual({ showId: paused, status: "paused" });
    await setShowStatus(ctx, uid, { showId: dropped, status: "dropped" });
    // Retried: the same answer, nothing else changes.
    await setShowStatus(ctx, uid, { showId: dropped, status: "dropped" });
    // A show not tracked yet can be planned: it gets a document with no episodes.
    await setShowStatus(ctx, uid, { showId: planned, status: "planned" });
    expect((await trackingRef(env.db, uid, planned).get()).data()).toMatchObject({ episodes: {}, showId: planned, status: "planned" });

    const visible = await getLibrary(ctx, uid);
    expect(visible.shows.map((s) => [s.showId, s.status]).sort()).toEqual(
      [
        [kept, "watching"],
        [planned, "planned"],
      ].sort(),
    );
    const all = await getLibrary(ctx, uid, { includeHidden: true });
    expect(all.shows).toHaveLength(4);
    const byId = new Map(all.shows.map((s) => [s.showId, s]));
    // Hidden shows are listed on request, but have nothing up next; their progress is intact.
    expect(byId.get(paused)).toMatchObject({ status: "paused", completed: 1, nextEpisode: null });
    expect(byId.get(dropped)).toMatchObject({ status: "dropped", completed: 1, nextEpisode: null });
    expect(byId.get(kept)).toMatchObject({ status: "watching", nextEpisode: { season: 1, episode: 2 } });

    await setShowStatus(ctx, uid, { showId: paused, status: "watching" });
    const back = await getLibrary(ctx, uid);
    expect(back.shows.find((s) => s.showId === paused)).toMatchObject({
      status: "watching",
      completed: 1,
      nextEpisode: { season: 1, episode: 2 },
    });
    // The episodes were never touched by a status change.
    expect((await trackingRef(env.db, uid, paused).get()).get("episodes.1_1.watched")).toBe(true);
  });

  it("refuses a show TMDB does not know, writing nothing", async () => {
    const uid = uniqueId("user");
    await expect(setShowStatus(env.context(), uid, { showId: 77_404, status: "dropped" })).rejects.toMatchObject({ code: "not-found" });
    expect((await trackingRef(env.db, uid, 77_404).get()).exists).toBe(false);
  });
});

describe("resetProgress", () => {
  it("restarts progress and up next for a rewatch, keeps the history, and undo restores the earlier state", async () => {
    const uid = uniqueId("user");
    const showId = uniqueShowId();
    await env.fake.setShow(showId, aired("Rewatched"));
    const time = steppedClock("2025-06-01T12:00:00Z");
    const ctx = env.context({ clock: time.clock });
    const all = [1, 2, 3].map((episode) => ({ season: 1, episode })).concat([1, 2].map((episode) => ({ season: 2, episode })));
    await markWatched(ctx, uid, { showId, target: { type: "episodes", episodes: all } });
    expect(await getShowProgress(ctx, uid, { showId })).toMatchObject({ completed: 5, percent: 100, nextEpisode: null });

    time.advance(60);
    const reset = await resetProgress(ctx, uid, { showId });
    expect(reset).toEqual({ showId, resetAt: "2025-06-01T13:00:00.000Z" });
    expect(await getShowProgress(ctx, uid, { showId })).toMatchObject({
      completed: 0,
      percent: 0,
      label: "0/5 episodes",
      nextEpisode: { season: 1, episode: 1 },
    });
    // A retried reset (nothing rewatched since) keeps the same resetAt, so undo still goes back to before it.
    time.advance(1);
    expect(await resetProgress(ctx, uid, { showId })).toEqual(reset);
    // History is never deleted.
    const plays = async () => (await userDir(uid).collection("history").where("showId", "==", showId).get()).size;
    expect(await plays()).toBe(5);

    // The rewatch: marking S1E1 again records a second play and counts.
    time.advance(30);
    expect(await markWatched(ctx, uid, { showId, target: { type: "episodes", episodes: [{ season: 1, episode: 1 }] } })).toEqual({
      showId,
      changed: 1,
    });
    expect(await getShowProgress(ctx, uid, { showId })).toMatchObject({
      completed: 1,
      label: "1/5 episodes",
      nextEpisode: { season: 1, episode: 2 },
    });
    expect(await plays()).toBe(6);
    expect((await trackingRef(env.db, uid, showId).get()).get("episodes.1_1.plays")).toBe(2);
    const library = await getLibrary(ctx, uid);
    expect(library.shows[0]).toMatchObject({ showId, completed: 1, nextEpisode: { season: 1, episode: 2 } });

    // Undo: the reset is gone, everything counts again; a second undo has nothing left to undo.
    expect(await resetProgress(ctx, uid, { showId, undo: true })).toEqual({ showId, resetAt: null });
    expect(await getShowProgress(ctx, uid, { showId })).toMatchObject({ completed: 5, percent: 100, nextEpisode: null });
    expect(await resetProgress(ctx, uid, { showId, undo: true })).toEqual({ showId, resetAt: null });
    expect(await plays()).toBe(6);
  });

  it("undo after a second rewatch goes back to the first one", async () => {
    const uid = uniqueId("user");
    const showId = uniqueShowId();
    await env.fake.setShow(showId, aired("Twice"));
    const time = steppedClock("2025-06-01T12:00:00Z");
    const ctx = env.context({ clock: time.clock });
    const mark = (episode: number) => markWatched(ctx, uid, { showId, target: { type: "episodes", episodes: [{ season: 1, episode }] } });
    await mark(1);
    time.advance(10);
    const first = await resetProgress(ctx, uid, { showId });
    time.advance(10);
    await mark(1);
    time.advance(10);
    const second = await resetProgress(ctx, uid, { showId });
    expect(second.resetAt).not.toBe(first.resetAt);
    expect(await resetProgress(ctx, uid, { showId, undo: true })).toEqual(first);
    expect(await getShowProgress(ctx, uid, { showId })).toMatchObject({ completed: 1 });
  });
});

describe("setWatchlist and rate", () => {
  it("round-trips watchlist entries and ratings for shows, seasons, episodes and movies, idempotently", async () => {
    const uid = uniqueId("user");
    const showId = uniqueShowId();
    const movieId = uniqueShowId();
    await env.fake.setShow(showId, aired("Listed"));
    await env.fake.setMovie(movieId, { title: "A Movie", runtime: 100, releaseDate: "2001-01-01" });
    const time = steppedClock("2025-06-01T12:00:00Z");
    const ctx = env.context({ clock: time.clock });

    expect(await setWatchlist(ctx, uid, { media: { type: "show", showId }, on: true })).toEqual({ mediaKey: `tv_${showId}`, on: true });
    expect(await setWatchlist(ctx, uid, { media: { type: "movie", movieId }, on: true })).toEqual({
      mediaKey: `movie_${movieId}`,
      on: true,
    });
    time.advance(5);
    // A retry keeps the original addedAt.
    await setWatchlist(ctx, uid, { media: { type: "show", showId }, on: true });
    const watchlist = await userDir(uid).collection("watchlist").get();
    expect(
      Object.fromEntries(watchlist.docs.map((d) => [d.id, { ...d.data(), addedAt: d.get("addedAt").toDate().toISOString() }])),
    ).toEqual({
      [`tv_${showId}`]: { media: { type: "show", showId }, addedAt: "2025-06-01T12:00:00.000Z" },
      [`movie_${movieId}`]: { media: { type: "movie", movieId }, addedAt: "2025-06-01T12:00:00.000Z" },
    });
    expect(await setWatchlist(ctx, uid, { media: { type: "movie", movieId }, on: false })).toEqual({
      mediaKey: `movie_${movieId}`,
      on: false,
    });
    await setWatchlist(ctx, uid, { media: { type: "movie", movieId }, on: false });
    expect((await userDir(uid).collection("watchlist").get()).docs.map((d) => d.id)).toEqual([`tv_${showId}`]);

    const targets = [
      [{ type: "show", showId }, `tv_${showId}`, 9],
      [{ type: "season", showId, season: 2 }, `tv_${showId}_2`, 7],
      [{ type: "episode", showId, season: 1, episode: 3 }, `tv_${showId}_1_3`, 10],
      [{ type: "movie", movieId }, `movie_${movieId}`, 4],
    ] as const;
    for (const [target, ratingKey, rating] of targets) expect(await rate(ctx, uid, { target, rating })).toEqual({ ratingKey, rating });
    const ratings = await userDir(uid).collection("ratings").get();
    expect(Object.fromEntries(ratings.docs.map((d) => [d.id, d.get("rating")]))).toEqual(
      Object.fromEntries(targets.map(([, key, rating]) => [key, rating])),
    );
    expect(ratings.docs[0].get("ratedAt").toDate().toISOString()).toBe("2025-06-01T12:05:00.000Z");

    time.advance(5);
    await rate(ctx, uid, { target: { type: "show", showId }, rating: 9 });
    expect((await userDir(uid).collection("ratings").doc(`tv_${showId}`).get()).get("ratedAt").toDate().toISOString()).toBe(
      "2025-06-01T12:05:00.000Z",
    );
    expect(await rate(ctx, uid, { target: { type: "show", showId }, rating: null })).toEqual({ ratingKey: `tv_${showId}`, rating: null });
    await rate(ctx, uid, { target: { type: "show", showId }, rating: null });
    expect((await userDir(uid).collection("ratings").get()).size).toBe(3);
  });

  it("refuses what TMDB does not have, writing nothing", async () => {
    const uid = uniqueId("user");
    const showId = uniqueShowId();
    await env.fake.setShow(showId, aired("Short"));
    const ctx = env.context();
    await expect(rate(ctx, uid, { target: { type: "episode", showId, season: 1, episode: 9 }, rating: 5 })).rejects.toMatchObject({
      code: "not-found",
    });
    await expect(rate(ctx, uid, { target: { type: "season", showId, season: 7 }, rating: 5 })).rejects.toMatchObject({ code: "not-found" });
    await expect(setWatchlist(ctx, uid, { media: { type: "movie", movieId: 12_404 }, on: true })).rejects.toMatchObject({
      code: "not-found",
    });
    expect((await userDir(uid).collection("ratings").get()).size).toBe(0);
    expect((await userDir(uid).collection("watchlist").get()).size).toBe(0);
  });
});

import { Timestamp } from "firebase-admin/firestore";
import { seasonRef, showRef } from "../../functions/src/cache/documents";
import { getLibrary } from "../../functions/src/progress/getLibrary";
import { getShowProgress } from "../../functions/src/progress/getShowProgress";
import { advanceEpisode, setProgress } from "../../functions/src/progress/pointer";
import { showProgressSchema } from "../../functions/src/progress/schemas";
import { historyCollection } from "../../functions/src/tracking/plays";
import { trackingRef } from "../../functions/src/tracking/trackingDoc";
import { addDays, utcToday } from "../../tools/fake-tmdb/catalog";
import { startTestEnv, uniqueId, uniqueShowId, type TestEnv } from "../support/admin";

let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(() => env.close());

const today = utcToday();
const watchedAt = Timestamp.fromMillis(Date.parse("2024-03-01T20:00:00Z"));
const watched = (...keys: string[]) => watchedAtTime(watchedAt, ...keys);
const watchedAtTime = (at: Timestamp, ...keys: string[]) => Object.fromEntries(keys.map((key) => [key, { watched: true, watchedAt: at }]));

/** Two aired seasons of 3, a third whose last two episodes air next week and the week after; 2 dated specials. */
const airingShow = (name: string) => ({
  name,
  seasons: [
    { episodes: 3, airDate: "2020-01-01" },
    { episodes: 3, airDate: "2021-01-01" },
    { episodes: 3, airDates: [addDays(today, -7), addDays(today, 7), addDays(today, 14)] },
  ],
  specials: { episodes: 2, airDate: "2019-06-01", intervalDays: 30 },
});

describe("getShowProgress", () => {
  it("counts aired episodes without specials, then with them, and knows unaired ones are not due", async () => {
    const uid = uniqueId("user");
    const showId = uniqueShowId();
    await env.fake.setShow(showId, airingShow("Still Airing"));
    await trackingRef(env.db, uid, showId).set({ episodes: watched("1_1", "1_2", "1_3", "2_1", "0_1") });
    const ctx = env.context();

    const regular = await getShowProgress(ctx, uid, { showId });
    expect(showProgressSchema.parse(regular)).toEqual({
      showId,
      name: "Still Airing",
      aired: 7,
      completed: 4,
      total: 9,
      percent: 57,
      label: "4/7 episodes",
      seasons: [
        { season: 1, aired: 3, completed: 3 },
        { season: 2, aired: 3, completed: 1 },
        { season: 3, aired: 1, completed: 0 },
      ],
      nextEpisode: { season: 2, episode: 2, name: `S2E2 of Still Airing`, airDate: "2021-01-08" },
      lastWatchedAt: "2024-03-01T20:00:00.000Z",
      current: null,
    });

    const withSpecials = await getShowProgress(ctx, uid, { showId, includeSpecials: true });
    expect(withSpecials).toMatchObject({ aired: 9, completed: 5, total: 11, label: "5/9 episodes" });
    expect(withSpecials.seasons[0]).toEqual({ season: 0, aired: 2, completed: 1 });
    // Up next runs in air order from the last watched episode: specials come first, so nothing changes here.
    expect(withSpecials.nextEpisode).toMatchObject({ season: 2, episode: 2 });
    // The show with the tracked seasons 1-2 appended, then season 3, then season 0; nothing when warm.
    expect((await env.fake.stats(`/tv/${showId}`)).total).toBe(3);
    const warm = env.context();
    await getShowProgress(warm, uid, { showId, includeSpecials: true });
    expect(warm.tmdb.requestCount).toBe(0);

    // An unaired episode marked watched does not count, and (being the last watched) leaves nothing next.
    await trackingRef(env.db, uid, showId).update({ "episodes.3_2": { watched: true, watchedAt } });
    expect(await getShowProgress(warm, uid, { showId })).toMatchObject({ aired: 7, completed: 4, nextEpisode: null });
  });

  it("says nothing is next when the user is caught up with what has aired", async () => {
    const uid = uniqueId("user");
    const showId = uniqueShowId();
    await env.fake.setShow(showId, airingShow("Caught Up"));
    await trackingRef(env.db, uid, showId).set({ episodes: watched("3_1") });
    const result = await getShowProgress(env.context(), uid, { showId });
    expect(result).toMatchObject({ aired: 7, completed: 1, nextEpisode: null });
  });

  it("answers with zeros for a show the user does not track, and not-found for one TMDB does not know either", async () => {
    const uid = uniqueId("user");
    const showId = uniqueShowId();
    await env.fake.setShow(showId, airingShow("Untracked"));
    expect(await getShowProgress(env.context(), uid, { showId })).toMatchObject({
      aired: 7,
      completed: 0,
      percent: 0,
      label: "0/7 episodes",
      nextEpisode: { season: 1, episode: 1 },
    });
    await expect(getShowProgress(env.context(), uid, { showId: 77_404 })).rejects.toMatchObject({ code: "not-found" });
    expect((await trackingRef(env.db, uid, showId).get()).exists).toBe(false);
  });

  it("still answers from the user's data when TMDB is down or does not know the show", async () => {
    const uid = uniqueId("user");
    const showId = uniqueShowId();
    await trackingRef(env.db, uid, showId).set({ episodes: watched("1_1", "1_2", "2_1", "0_3") });
    await env.fake.addFault({ path: `/tv/${showId}`, kind: "500" });
    const down = await getShowProgress(env.context({ tmdb: { maxRetries: 0 } }), uid, { showId });
    expect(down).toMatchObject({
      name: null,
      aired: null,
      completed: 3,
      total: null,
      percent: null,
      label: "3 episodes",
      nextEpisode: null,
    });

    await trackingRef(env.db, uid, 88_404).set({ episodes: watched("1_1") });
    expect(await getShowProgress(env.context(), uid, { showId: 88_404 })).toMatchObject({ label: "1 episodes", aired: null });
  });
});

describe("getLibrary", () => {
  it("lists every tracked show, newest activity first, from user data when TMDB cannot answer", async () => {
    const uid = uniqueId("user");
    const [older, newer, unknown] = [uniqueShowId(), uniqueShowId(), 55_404];
    await env.fake.setShow(older, airingShow("Older"));
    await env.fake.setShow(newer, airingShow("Newer"));
    await trackingRef(env.db, uid, older).set({
      episodes: watched("1_1"),
      lastWatchedAt: Timestamp.fromMillis(Date.parse("2024-01-01T00:00:00Z")),
    });
    await trackingRef(env.db, uid, newer).set({
      episodes: watched("1_1", "1_2"),
      updatedAt: Timestamp.fromMillis(Date.parse("2024-05-01T00:00:00Z")),
    });
    await trackingRef(env.db, uid, unknown).set({ episodes: watched("1_1", "1_2", "1_3") });
    await env.db.collection("users").doc(uid).collection("episode_tracking").doc("not-a-show").set({ episodes: {} });

    const { shows } = await getLibrary(env.context(), uid);
    expect(shows.map((s) => [s.showId, s.label])).toEqual([
      [newer, "2/7 episodes"],
      [unknown, "3 episodes"],
      [older, "1/7 episodes"],
    ]);
    for (const show of shows) showProgressSchema.parse(show);
  });

  it("answers a warm 300-show library from two batched reads of the cache, without calling TMDB", async () => {
    const uid = uniqueId("user");
    const base = uniqueShowId() * 1000;
    const showIds = Array.from({ length: 300 }, (_, i) => base + i);
    const now = Timestamp.now();
    const episodes = (season: number) =>
      Object.fromEntries(
        Array.from({ length: 10 }, (_, i) => [
          String(i + 1),
          { episodeId: season * 100 + i, episodeName: `E${i + 1}`, episodeAirDate: `201${season}-01-${String(i + 10)}` },
        ]),
      );
    const writer = env.db.bulkWriter();
    showIds.forEach((showId, i) => {
      void writer.set(showRef(env.db, showId), {
        name: `Bulk ${i}`,
        showStatus: "Ended",
        inProduction: false,
        numberOfSeasons: 3,
        numberOfEpisodes: 30,
        seasons: {
          "1": { episodeCount: 10, airDate: "2011-01-10" },
          "2": { episodeCount: 10, airDate: "2012-01-10" },
          "3": { episodeCount: 10, airDate: "2013-01-10" },
        },
        nextEpisodeToAir: null,
        notFound: false,
        status: "complete",
        lastUpdated: now,
      });
      for (const season of [1, 2, 3])
        void writer.set(seasonRef(env.db, showId, season), { episodes: episodes(season), status: "complete", lastUpdated: now });
      const keys = Array.from({ length: 1 + (i % 30) }, (_, e) => `${1 + Math.floor(e / 10)}_${1 + (e % 10)}`);
      const lastWatchedAt = Timestamp.fromMillis(Date.parse("2024-01-01T00:00:00Z") + i * 60_000);
      void writer.set(trackingRef(env.db, uid, showId), { episodes: watchedAtTime(lastWatchedAt, ...keys), lastWatchedAt });
    });
    await writer.close();

    const ctx = env.context();
    const started = Date.now();
    const { shows } = await getLibrary(ctx, uid);
    const wallMs = Date.now() - started;
    console.info(`getLibrary: 300 warm shows in ${wallMs} ms`);

    expect(ctx.tmdb.requestCount).toBe(0);
    expect(shows).toHaveLength(300);
    expect(shows.map((s) => s.showId)).toEqual([...showIds].reverse());
    expect(shows[0]).toMatchObject({ name: "Bulk 299", aired: 30, completed: 30, total: 30, label: "30/30 episodes", nextEpisode: null });
    expect(shows[299]).toMatchObject({ name: "Bulk 0", completed: 1, label: "1/30 episodes", nextEpisode: { season: 1, episode: 2 } });
  });
});

describe("setProgress", () => {
  it("points at an episode TMDB knows, creating the document without touching episodes", async () => {
    const uid = uniqueId("user");
    const showId = uniqueShowId();
    await env.fake.setShow(showId, airingShow("Pointer"));
    expect(await setProgress(env.context(), uid, { showId, season: 2, episode: 3 })).toEqual({
      showId,
      current: { season: 2, episode: 3 },
    });
    expect((await trackingRef(env.db, uid, showId).get()).data()).toMatchObject({
      episodes: {},
      current: { season: 2, episode: 3 },
      showId,
    });

    await trackingRef(env.db, uid, showId).update({ "episodes.1_1": { watched: true, watchedAt } });
    await setProgress(env.context(), uid, { showId, season: 1, episode: 2 });
    const doc = (await trackingRef(env.db, uid, showId).get()).data();
    expect(doc?.episodes).toEqual(watched("1_1"));
    expect(doc?.current).toEqual({ season: 1, episode: 2 });
  });

  it("is not-found for an episode or show TMDB does not have, and writes nothing", async () => {
    const uid = uniqueId("user");
    const showId = uniqueShowId();
    await env.fake.setShow(showId, airingShow("Short"));
    await expect(setProgress(env.context(), uid, { showId, season: 1, episode: 4 })).rejects.toMatchObject({ code: "not-found" });
    await expect(setProgress(env.context(), uid, { showId, season: 9, episode: 1 })).rejects.toMatchObject({ code: "not-found" });
    await expect(setProgress(env.context(), uid, { showId: 66_404, season: 1, episode: 1 })).rejects.toMatchObject({ code: "not-found" });
    expect((await trackingRef(env.db, uid, showId).get()).exists).toBe(false);
  });
});

describe("advanceEpisode", () => {
  const twoByTwo = {
    name: "Two By Two",
    seasons: [
      { episodes: 2, airDate: "2020-01-01" },
      { episodes: 2, airDate: "2021-01-01" },
    ],
  };
  const appPlays = async (uid: string) =>
    (await historyCollection(env.db, uid).where("source", "==", "app").get()).docs
      .map((d) => d.data())
      .map((d) => `${d.season}_${d.episode}`)
      .sort();

  it("marks the current episode watched with an app play and crosses into the next season", async () => {
    const uid = uniqueId("user");
    const showId = uniqueShowId();
    await env.fake.setShow(showId, twoByTwo);
    await setProgress(env.context(), uid, { showId, season: 1, episode: 2 });
    expect(await advanceEpisode(env.context(), uid, { showId })).toEqual({ showId, current: { season: 2, episode: 1 }, completed: false });
    const doc = (await trackingRef(env.db, uid, showId).get()).data();
    expect(doc?.episodes["1_2"]).toMatchObject({ watched: true, plays: 1 });
    expect(doc?.current).toEqual({ season: 2, episode: 1 });
    expect(doc?.lastWatchedAt).toBeInstanceOf(Timestamp);
    const [play] = (await historyCollection(env.db, uid).get()).docs.map((d) => d.data());
    expect(play).toMatchObject({ showId, season: 1, episode: 2, source: "app", sourceId: null });
  });

  it("completes at the series end, and stays complete", async () => {
    const uid = uniqueId("user");
    const showId = uniqueShowId();
    await env.fake.setShow(showId, twoByTwo);
    await setProgress(env.context(), uid, { showId, season: 2, episode: 2 });
    expect(await advanceEpisode(env.context(), uid, { showId })).toEqual({ showId, current: null, completed: true });
    expect((await trackingRef(env.db, uid, showId).get()).data()?.current).toBeNull();
    expect(await advanceEpisode(env.context(), uid, { showId })).toEqual({ showId, current: null, completed: true });
    expect(await appPlays(uid)).toEqual(["2_2"]);
  });

  it("without a pointer starts at up next (the first unwatched aired episode after the last watched)", async () => {
    const uid = uniqueId("user");
    const showId = uniqueShowId();
    await env.fake.setShow(showId, twoByTwo);
    await trackingRef(env.db, uid, showId).set({ episodes: watched("1_1") });
    expect(await advanceEpisode(env.context(), uid, { showId })).toEqual({ showId, current: { season: 2, episode: 1 }, completed: false });
    expect(await appPlays(uid)).toEqual(["1_2"]);
    // A show never tracked starts at its first episode, and the new document carries showId.
    const fresh = uniqueShowId();
    await env.fake.setShow(fresh, twoByTwo);
    expect(await advanceEpisode(env.context(), uid, { showId: fresh })).toMatchObject({ current: { season: 1, episode: 2 } });
    expect((await trackingRef(env.db, uid, fresh).get()).data()).toMatchObject({
      showId: fresh,
      episodes: { "1_1": { watched: true, plays: 1 } },
    });
  });

  it("two concurrent calls advance by exactly two", async () => {
    const uid = uniqueId("user");
    const showId = uniqueShowId();
    await env.fake.setShow(showId, { name: "Race", seasons: [{ episodes: 5, airDate: "2020-01-01" }] });
    await setProgress(env.context(), uid, { showId, season: 1, episode: 1 });
    const results = await Promise.all([advanceEpisode(env.context(), uid, { showId }), advanceEpisode(env.context(), uid, { showId })]);
    expect(results.map((r) => r.current?.episode).sort()).toEqual([2, 3]);
    const doc = (await trackingRef(env.db, uid, showId).get()).data();
    expect(doc?.current).toEqual({ season: 1, episode: 3 });
    expect(Object.keys(doc?.episodes ?? {}).sort()).toEqual(["1_1", "1_2"]);
    expect(await appPlays(uid)).toEqual(["1_1", "1_2"]);
  });

  it("with `from`, a repeat (a client retrying after a lost answer) is a no-op answering the current state", async () => {
    const uid = uniqueId("user");
    const showId = uniqueShowId();
    await env.fake.setShow(showId, { name: "Retry", seasons: [{ episodes: 3, airDate: "2020-01-01" }] });
    await setProgress(env.context(), uid, { showId, season: 1, episode: 1 });
    const request = { showId, from: { season: 1, episode: 1 } };
    const first = await advanceEpisode(env.context(), uid, request);
    expect(first).toEqual({ showId, current: { season: 1, episode: 2 }, completed: false });
    expect(await advanceEpisode(env.context(), uid, request)).toEqual(first);
    expect(await appPlays(uid)).toEqual(["1_1"]);
    expect((await trackingRef(env.db, uid, showId).get()).data()?.current).toEqual({ season: 1, episode: 2 });
    // The episode the pointer is on advances as usual.
    expect(await advanceEpisode(env.context(), uid, { showId, from: { season: 1, episode: 2 } })).toMatchObject({
      current: { season: 1, episode: 3 },
    });
    expect(await appPlays(uid)).toEqual(["1_1", "1_2"]);
  });

  it("is not-found for a show TMDB does not know and unavailable when TMDB is down, writing nothing", async () => {
    const uid = uniqueId("user");
    await expect(advanceEpisode(env.context(), uid, { showId: 44_404 })).rejects.toMatchObject({ code: "not-found" });
    const showId = uniqueShowId();
    await env.fake.addFault({ path: `/tv/${showId}`, kind: "503" });
    await expect(advanceEpisode(env.context({ tmdb: { maxRetries: 0 } }), uid, { showId })).rejects.toMatchObject({ code: "unavailable" });
    expect((await historyCollection(env.db, uid).get()).size).toBe(0);
  });
});

import { Timestamp } from "firebase-admin/firestore";
import { loadMovie, movieRef } from "../../functions/src/cache/movieCache";
import { historyCollection } from "../../functions/src/tracking/plays";
import { clearPlayback, getContinueWatching } from "../../functions/src/playback/continueWatching";
import { playbackCollection, playbackRef } from "../../functions/src/playback/documents";
import { savePlayback } from "../../functions/src/playback/savePlayback";
import { playbackSchema, type Media } from "../../functions/src/playback/schemas";
import { trackingRef } from "../../functions/src/tracking/trackingDoc";
import { startTestEnv, uniqueId, uniqueShowId, type TestEnv } from "../support/admin";

let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(() => env.close());

/** A clock that moves one second per reading, so "newest first" never depends on timing. */
function steppingClock(start = Date.now()) {
  let now = start;
  return () => new Date((now += 1000));
}

async function episodeOf(showId: number): Promise<Media> {
  await env.fake.setShow(showId, { name: "Playable", seasons: [{ episodes: 4, airDate: "2020-01-01" }] });
  return { type: "episode", showId, season: 1, episode: 2 };
}
const playbackPlays = async (uid: string) =>
  (await historyCollection(env.db, uid).where("source", "==", "playback").get()).docs.map((d) => d.data());

describe("savePlayback", () => {
  it("follows an episode through 4, 50, 89, 90 and 100 %: started at 5 %, watched and played once at 90 %", async () => {
    const uid = uniqueId("user");
    const showId = uniqueShowId();
    const media = await episodeOf(showId);
    const ctx = env.context();
    const save = (percent: number) => savePlayback(ctx, uid, { media, positionSeconds: percent * 30, durationSeconds: 3000 });

    const at4 = await save(4);
    expect(playbackSchema.parse(at4)).toMatchObject({
      mediaKey: `tv_${showId}_1_2`,
      completionPercentage: 4,
      watched: false,
      lastWatchedAt: null,
      updatedAt: null,
    });
    expect((await playbackRef(env.db, uid, media).get()).exists).toBe(false);

    const at50 = await save(50);
    expect(at50).toMatchObject({
      media,
      positionSeconds: 1500,
      durationSeconds: 3000,
      watchedSeconds: 1500,
      completionPercentage: 50,
      watched: false,
    });
    expect(at50.lastWatchedAt).toEqual(expect.any(String));
    const stored = (await playbackRef(env.db, uid, media).get()).data();
    expect(stored).toMatchObject({ media, positionSeconds: 1500, watchedSeconds: 1500, completionPercentage: 50, watched: false });
    expect(stored?.lastWatchedAt).toBeInstanceOf(Timestamp);

    expect(await save(89)).toMatchObject({ completionPercentage: 89, watched: false });
    expect(await playbackPlays(uid)).toEqual([]);
    expect((await trackingRef(env.db, uid, showId).get()).exists).toBe(false);

    expect(await save(90)).toMatchObject({ completionPercentage: 90, watched: true });
    const plays = await playbackPlays(uid);
    expect(plays).toEqual([expect.objectContaining({ showId, season: 1, episode: 2, source: "playback", sourceId: null })]);
    expect((await trackingRef(env.db, uid, showId).get()).data()).toMatchObject({
      showId,
      episodes: { "1_2": { watched: true, plays: 1 } },
    });

    expect(await save(100)).toMatchObject({ completionPercentage: 100, watched: true, watchedSeconds: 3000 });
    // Rewinding keeps it watched; the position follows, watchedSeconds does not go back.
    expect(await save(10)).toMatchObject({ positionSeconds: 300, watchedSeconds: 3000, completionPercentage: 10, watched: true });
    expect(await playbackPlays(uid)).toHaveLength(1);
  });

  it("records exactly one play when ten saves cross 90 % at once", async () => {
    const uid = uniqueId("user");
    const media = await episodeOf(uniqueShowId());
    await savePlayback(env.context(), uid, { media, positionSeconds: 1000, durationSeconds: 2000 });
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        savePlayback(env.context(), uid, { media, positionSeconds: 1810 + i * 20, durationSeconds: 2000 }),
      ),
    );
    expect(results.every((r) => r.watched)).toBe(true);
    expect(await playbackPlays(uid)).toHaveLength(1);
    const doc = (await playbackRef(env.db, uid, media).get()).data();
    expect(doc).toMatchObject({ watched: true, watchedSeconds: 1990 });
    expect((await trackingRef(env.db, uid, (media as { showId: number }).showId).get()).data()?.episodes["1_2"].plays).toBe(1);
  });

  it("keeps one position per episode whatever file plays it (duration may differ slightly)", async () => {
    const uid = uniqueId("user");
    const media = await episodeOf(uniqueShowId());
    await savePlayback(env.context(), uid, { media, positionSeconds: 600, durationSeconds: 2400 });
    await savePlayback(env.context(), uid, { media, positionSeconds: 700, durationSeconds: 2398 });
    expect((await playbackCollection(env.db, uid).get()).size).toBe(1);
    expect((await playbackRef(env.db, uid, media).get()).data()).toMatchObject({ positionSeconds: 700, durationSeconds: 2398 });
  });

  it("is not-found for an episode or movie TMDB does not have, and stores nothing", async () => {
    const uid = uniqueId("user");
    const media = await episodeOf(uniqueShowId());
    const missingEpisode = { ...media, episode: 9 } as Media;
    await expect(
      savePlayback(env.context(), uid, { media: missingEpisode, positionSeconds: 100, durationSeconds: 200 }),
    ).rejects.toMatchObject({ code: "not-found" });
    await expect(
      savePlayback(env.context(), uid, { media: { type: "movie", movieId: 12_404 }, positionSeconds: 100, durationSeconds: 200 }),
    ).rejects.toMatchObject({
      code: "not-found",
    });
    // Below 5 % is checked too: an unknown item is never "not started", it is not there.
    await expect(
      savePlayback(env.context(), uid, { media: missingEpisode, positionSeconds: 1, durationSeconds: 200 }),
    ).rejects.toMatchObject({ code: "not-found" });
    expect((await playbackCollection(env.db, uid).get()).size).toBe(0);
  });

  it("saves movies, checked once through tmdb_cache/movie/details, without touching episode tracking", async () => {
    const uid = uniqueId("user");
    const movieId = uniqueShowId();
    await env.fake.setMovie(movieId, { title: "The Long Film", runtime: 151, releaseDate: "2001-05-04" });
    const media: Media = { type: "movie", movieId };
    const ctx = env.context();
    expect(await savePlayback(ctx, uid, { media, positionSeconds: 4000, durationSeconds: 9060 })).toMatchObject({
      mediaKey: `movie_${movieId}`,
      completionPercentage: 44.15,
    });
    expect((await movieRef(env.db, movieId).get()).data()).toMatchObject({
      title: "The Long Film",
      runtimeMinutes: 151,
      releaseDate: "2001-05-04",
      status: "complete",
    });
    await savePlayback(ctx, uid, { media, positionSeconds: 9000, durationSeconds: 9060 });
    expect(ctx.tmdb.requestCount).toBe(1);
    expect((await playbackRef(env.db, uid, media).get()).data()).toMatchObject({ watched: true });
    expect((await historyCollection(env.db, uid).get()).size).toBe(0);
  });
});

describe("the movie cache", () => {
  it("fetches a movie once however many requests ask at the same time", async () => {
    const movieId = uniqueShowId();
    await env.fake.setLatency(200);
    const results = await Promise.all(Array.from({ length: 5 }, () => loadMovie(env.context(), movieId)));
    await env.fake.setLatency(0);
    expect(results.map((r) => r.state).sort()).toEqual(["fetched", "fresh", "fresh", "fresh", "fresh"]);
    expect((await env.fake.stats(`/movie/${movieId}`)).total).toBe(1);
  });

  it("serves the old data while another request holds a live lock, and reports pending without it", async () => {
    const movieId = uniqueShowId();
    const old = Timestamp.fromMillis(Date.now() - 400 * 86_400_000);
    const ref = movieRef(env.db, movieId);
    await ref.set({
      title: null,
      runtimeMinutes: null,
      releaseDate: null,
      notFound: false,
      status: "populating",
      lastUpdated: Timestamp.now(),
    });
    expect(await loadMovie(env.context({ config: { lockWaitMs: 50 } }), movieId)).toEqual({ state: "pending" });
    await ref.set({
      title: "Old",
      runtimeMinutes: 90,
      releaseDate: "2000-01-01",
      notFound: false,
      status: "populating",
      lastUpdated: Timestamp.now(),
    });
    expect(await loadMovie(env.context({ config: { lockWaitMs: 50 } }), movieId)).toMatchObject({
      state: "stale",
      movie: { title: "Old" },
    });
    // An abandoned lock is taken over; data older than six months is never served.
    await ref.set({
      title: "Ancient",
      runtimeMinutes: 90,
      releaseDate: "2000-01-01",
      notFound: false,
      status: "complete",
      lastUpdated: old,
    });
    expect(await loadMovie(env.context(), movieId)).toMatchObject({ state: "fetched", movie: { title: `Movie ${movieId}` } });
    expect((await env.fake.stats(`/movie/${movieId}`)).total).toBe(1);
  });

  it("releases the lock when TMDB fails, leaving no half-written document", async () => {
    const movieId = uniqueShowId();
    await env.fake.addFault({ path: `/movie/${movieId}`, kind: "500" });
    const result = await loadMovie(env.context({ tmdb: { maxRetries: 0 } }), movieId);
    expect(result).toMatchObject({ state: "unavailable", error: { code: "unavailable" } });
    expect((await movieRef(env.db, movieId).get()).exists).toBe(false);
  });
});

describe("continue watching", () => {
  it("lists started, unwatched items newest first, up to the limit", async () => {
    const uid = uniqueId("user");
    const showId = uniqueShowId();
    await env.fake.setShow(showId, { name: "Binge", seasons: [{ episodes: 6, airDate: "2020-01-01" }] });
    const ctx = env.context({ clock: steppingClock() });
    const episode = (n: number): Media => ({ type: "episode", showId, season: 1, episode: n });
    for (const [n, percent] of [
      [1, 50],
      [2, 3],
      [3, 60],
      [4, 95],
      [5, 20],
      [6, 70],
    ]) {
      await savePlayback(ctx, uid, { media: episode(n), positionSeconds: percent * 10, durationSeconds: 1000 });
    }
    // Going back to episode 1 makes it the newest again.
    await savePlayback(ctx, uid, { media: episode(1), positionSeconds: 550, durationSeconds: 1000 });

    const { items } = await getContinueWatching(env.db, uid);
    expect(items.map((i) => i.mediaKey)).toEqual([1, 6, 5, 3].map((n) => `tv_${showId}_1_${n}`));
    for (const item of items) playbackSchema.parse(item);
    const times = items.map((i) => Date.parse(i.lastWatchedAt as string));
    expect([...times].sort((a, b) => b - a)).toEqual(times);

    expect((await getContinueWatching(env.db, uid, 2)).items.map((i) => i.media)).toEqual([episode(1), episode(6)]);
    expect(await getContinueWatching(env.db, uniqueId("nobody"))).toEqual({ items: [] });
  });

  it("clearPlayback forgets an item (and says whether there was one), leaving episode tracking alone", async () => {
    const uid = uniqueId("user");
    const media = await episodeOf(uniqueShowId());
    await savePlayback(env.context(), uid, { media, positionSeconds: 950, durationSeconds: 1000 });
    const trackingBefore = (await trackingRef(env.db, uid, (media as { showId: number }).showId).get()).data();
    expect(await clearPlayback(env.db, uid, media)).toEqual({ deleted: true });
    expect(await clearPlayback(env.db, uid, media)).toEqual({ deleted: false });
    expect((await playbackRef(env.db, uid, media).get()).exists).toBe(false);
    expect((await trackingRef(env.db, uid, (media as { showId: number }).showId).get()).data()).toEqual(trackingBefore);

    // Started again after clearing: back in continue watching.
    await savePlayback(env.context(), uid, { media, positionSeconds: 100, durationSeconds: 1000 });
    expect((await getContinueWatching(env.db, uid)).items.map((i) => i.media)).toEqual([media]);
  });
});

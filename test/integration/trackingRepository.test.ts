import { Timestamp } from "firebase-admin/firestore";
import { episodePlay, historyCollection, moviePlay } from "../../functions/src/tracking/plays";
import {
  recordPlayInTransaction,
  recordPlays,
  setPointer,
  setShowStatus,
  unmarkMovie,
  writeEnrichment,
} from "../../functions/src/tracking/repository";
import { movieTrackingRef, trackingRef } from "../../functions/src/tracking/trackingDoc";
import { startTestEnv, uniqueId, uniqueShowId, type TestEnv } from "../support/admin";

/** The tracking repository as other domains (imports, scrobbles, webhooks, the library) call it. */
let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(() => env.close());

const T0 = new Date("2025-04-01T18:00:00.000Z");
const minutes = (m: number) => new Date(T0.getTime() + m * 60_000);

describe("movie plays", () => {
  it("are history documents with movieId; a replay and a second source within 10 minutes are duplicates, a rewatch is not", async () => {
    const uid = uniqueId("user");
    const movieId = 9_100_000 + Math.floor(Math.random() * 100_000);
    const plays = [
      moviePlay({ movieId, watchedAt: T0, source: "trakt", sourceId: "1" }),
      moviePlay({ movieId, watchedAt: minutes(3), source: "tvtime", sourceId: "a" }),
    ];
    expect(await recordPlays(env.db, uid, plays)).toEqual({ added: 1, duplicates: 1 });
    expect(
      await recordPlays(env.db, uid, [plays[0], moviePlay({ movieId, watchedAt: minutes(600), source: "trakt", sourceId: "2" })]),
    ).toEqual({ added: 1, duplicates: 1 });
    expect((await historyCollection(env.db, uid).doc("trakt_1").get()).data()).toEqual({
      movieId,
      watchedAt: Timestamp.fromDate(T0),
      source: "trakt",
      sourceId: "1",
      action: "watch",
    });

    const scrobble = moviePlay({ movieId, watchedAt: minutes(601), source: "scrobble" });
    expect(await env.db.runTransaction((tx) => recordPlayInTransaction(tx, env.db, uid, scrobble, { now: minutes(601) }))).toEqual({
      recorded: false,
    });
    expect((await movieTrackingRef(env.db, uid, movieId).get()).data()).toMatchObject({
      movieId,
      plays: 2,
      lastWatchedAt: Timestamp.fromDate(minutes(600)),
    });
    expect(await unmarkMovie(env.db, uid, movieId)).toEqual({ removed: 2 });
    expect((await historyCollection(env.db, uid).where("movieId", "==", movieId).get()).size).toBe(0);
    expect((await movieTrackingRef(env.db, uid, movieId).get()).data()).toMatchObject({ plays: 0, lastWatchedAt: null });
  });

  it("one viewing reported at once by a mark, a scrobble and a webhook is one play", async () => {
    const uid = uniqueId("user");
    const movieId = 9_200_000 + Math.floor(Math.random() * 100_000);
    const reports = (["app", "scrobble", "plex", "jellyfin"] as const).map((source, i) =>
      moviePlay({ movieId, watchedAt: minutes(i), source }),
    );
    const outcomes = await Promise.all([
      recordPlays(env.db, uid, [reports[0]]),
      ...reports
        .slice(1)
        .map((play) => env.db.runTransaction((tx) => recordPlayInTransaction(tx, env.db, uid, play, { now: play.watchedAt }))),
    ]);
    expect(outcomes.filter((o) => ("added" in o ? o.added === 1 : o.recorded)).length).toBe(1);
    expect((await historyCollection(env.db, uid).where("movieId", "==", movieId).get()).size).toBe(1);
    expect((await movieTrackingRef(env.db, uid, movieId).get()).data()).toMatchObject({ plays: 1 });
  });
});

describe("recording one play inside the caller's transaction", () => {
  it("writes the play, the tracking state and the given fields together, with showId on a new document", async () => {
    const uid = uniqueId("user");
    const showId = uniqueShowId();
    const play = episodePlay({ showId, season: 1, episode: 1, watchedAt: T0, source: "scrobble", action: "scrobble" });
    const outcome = await env.db.runTransaction((tx) =>
      recordPlayInTransaction(tx, env.db, uid, play, { now: T0, fields: { current: { season: 1, episode: 2 } } }),
    );
    expect(outcome).toEqual({ recorded: true });
    expect((await trackingRef(env.db, uid, showId).get()).data()).toMatchObject({
      showId,
      current: { season: 1, episode: 2 },
      episodes: { "1_1": { watched: true, plays: 1, watchedAt: Timestamp.fromDate(T0) } },
    });
    // The same scrobble again (a retry) records nothing.
    expect(await env.db.runTransaction((tx) => recordPlayInTransaction(tx, env.db, uid, play, { now: T0 }))).toEqual({ recorded: false });
    expect((await historyCollection(env.db, uid).get()).size).toBe(1);
  });
});

describe("top-level fields and enrichment", () => {
  it("set the pointer and status without reading, creating the document with showId and no episodes", async () => {
    const uid = uniqueId("user");
    const showId = uniqueShowId();
    await setShowStatus(env.db, uid, showId, "paused", T0);
    await setPointer(env.db, uid, showId, { season: 2, episode: 1 }, T0);
    expect((await trackingRef(env.db, uid, showId).get()).data()).toEqual({
      showId,
      episodes: {},
      status: "paused",
      current: { season: 2, episode: 1 },
      updatedAt: Timestamp.fromDate(T0),
    });
  });

  it("writes only TMDB fields, and refuses (false) when the document changed since it was read", async () => {
    const uid = uniqueId("user");
    const showId = uniqueShowId();
    const ref = trackingRef(env.db, uid, showId);
    await ref.set({ episodes: { "1_1": { watched: true, watchedAt: Timestamp.fromDate(T0), posterPath: "/p.jpg" } } });
    const snap = await ref.get();
    const update = { key: "1_1", fields: { episodeId: 11, episodeName: "Pilot", episodeAirDate: "2020-01-01", watched: false } as never };
    expect(await writeEnrichment(snap, [update])).toBe(true);
    expect((await ref.get()).data()).toEqual({
      showId,
      episodes: {
        "1_1": {
          watched: true,
          watchedAt: Timestamp.fromDate(T0),
          posterPath: "/p.jpg",
          episodeId: 11,
          episodeName: "Pilot",
          episodeAirDate: "2020-01-01",
        },
      },
    });
    expect(await writeEnrichment(snap, [{ key: "1_1", fields: { episodeName: "Stale" } }])).toBe(false);
    expect((await ref.get()).get("episodes.1_1.episodeName")).toBe("Pilot");
  });
});

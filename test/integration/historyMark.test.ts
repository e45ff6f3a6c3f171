import { Timestamp } from "firebase-admin/firestore";
import { markWatched } from "../../functions/src/history/markWatched";
import { historyCollection } from "../../functions/src/tracking/plays";
import { syncHistory } from "../../functions/src/history/syncHistory";
import { trackingRef } from "../../functions/src/tracking/trackingDoc";
import { episodeIdFor } from "../../tools/fake-tmdb/catalog";
import { startTestEnv, uniqueId, uniqueShowId, type TestEnv } from "../support/admin";

let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(() => env.close());

const NOW = new Date("2025-06-01T12:00:00.000Z");
const ctx = () => env.context({ clock: () => NOW });
/** Season 1: two aired episodes, one far in the future, one without an air date. */
const partlyAired = { episodes: 4, airDates: ["2020-01-01", "2020-01-08", "2999-01-01", null] };

async function historyIds(uid: string): Promise<string[]> {
  return (await historyCollection(env.db, uid).get()).docs.map((d) => d.id).sort();
}

describe("markWatched", () => {
  it("marks the aired episodes of a season, one app play each, and only once", async () => {
    const uid = uniqueId("user");
    const showId = uniqueShowId();
    await env.fake.setShow(showId, { name: "Half Aired", seasons: [partlyAired] });
    expect(await markWatched(ctx(), uid, { showId, target: { type: "season", season: 1 } })).toEqual({ showId, changed: 2 });

    const episodes = (await trackingRef(env.db, uid, showId).get()).data()?.episodes;
    expect(Object.keys(episodes).sort()).toEqual(["1_1", "1_2"]);
    expect(episodes["1_1"]).toEqual({
      watched: true,
      watchedAt: Timestamp.fromDate(NOW),
      plays: 1,
      episodeId: episodeIdFor(showId, 1, 1),
      episodeName: "S1E1 of Half Aired",
      episodeAirDate: "2020-01-01",
    });
    expect(await historyIds(uid)).toEqual([`app_${showId}_1_1_${NOW.getTime()}`, `app_${showId}_1_2_${NOW.getTime()}`]);
    expect((await historyCollection(env.db, uid).doc(`app_${showId}_1_2_${NOW.getTime()}`).get()).data()).toEqual({
      showId,
      season: 1,
      episode: 2,
      watchedAt: Timestamp.fromDate(NOW),
      source: "app",
      sourceId: null,
      action: "watch",
    });

    const later = new Date("2025-06-02T00:00:00Z");
    expect(await markWatched(env.context({ clock: () => later }), uid, { showId, target: { type: "season", season: 1 } })).toEqual({
      showId,
      changed: 0,
    });
    expect(await historyIds(uid)).toHaveLength(2);
  });

  it("un-marks a season: watched false, its app plays removed, imported plays kept", async () => {
    const uid = uniqueId("user");
    const showId = uniqueShowId();
    await env.fake.setShow(showId, { name: "Undo Me", seasons: [partlyAired, { episodes: 2, airDate: "2021-01-01" }] });
    await syncHistory(ctx(), uid, [
      {
        id: 77,
        watched_at: "2024-01-01T00:00:00Z",
        action: "watch",
        type: "episode",
        episode: { season: 1, number: 1 },
        show: { ids: { tmdb: showId } },
      },
    ]);
    expect(await markWatched(ctx(), uid, { showId, target: { type: "show" } })).toEqual({ showId, changed: 3 });
    expect(await historyIds(uid)).toHaveLength(4);

    expect(await markWatched(ctx(), uid, { showId, target: { type: "season", season: 1 }, watched: false })).toEqual({
      showId,
      changed: 2,
    });
    const episodes = (await trackingRef(env.db, uid, showId).get()).data()?.episodes;
    expect(episodes["1_1"]).toMatchObject({ watched: false, plays: 1, watchedAt: Timestamp.fromDate(new Date("2024-01-01T00:00:00Z")) });
    expect(episodes["1_2"]).toMatchObject({ watched: false, plays: 0 });
    expect(episodes["2_1"]).toMatchObject({ watched: true, plays: 1 });
    expect(await historyIds(uid)).toEqual(["trakt_77", `app_${showId}_2_1_${NOW.getTime()}`, `app_${showId}_2_2_${NOW.getTime()}`].sort());

    // Marking again records a fresh app play.
    expect(
      await markWatched(ctx(), uid, {
        showId,
        target: { type: "episodes", episodes: [{ season: 1, episode: 2, watchedAt: "2025-01-01T00:00:00Z" }] },
      }),
    ).toEqual({ showId, changed: 1 });
    expect((await trackingRef(env.db, uid, showId).get()).data()?.episodes["1_2"]).toMatchObject({ watched: true, plays: 1 });
  });

  it("marks a whole show's aired episodes, specials only when asked", async () => {
    const uid = uniqueId("user");
    const showId = uniqueShowId();
    await env.fake.setShow(showId, {
      name: "Specials",
      seasons: [partlyAired, { episodes: 3, airDate: "2021-01-01" }],
      specials: { episodes: 2, airDates: ["2020-06-01", null] },
    });
    expect(await markWatched(ctx(), uid, { showId, target: { type: "show" } })).toEqual({ showId, changed: 5 });
    expect(await markWatched(ctx(), uid, { showId, target: { type: "show", includeSpecials: true } })).toEqual({ showId, changed: 1 });
    const episodes = (await trackingRef(env.db, uid, showId).get()).data()?.episodes;
    expect(Object.keys(episodes).sort()).toEqual(["0_1", "1_1", "1_2", "2_1", "2_2", "2_3"]);
    expect(await markWatched(ctx(), uid, { showId, target: { type: "show" }, watched: false })).toEqual({ showId, changed: 5 });
    expect(await historyIds(uid)).toEqual([`app_${showId}_0_1_${NOW.getTime()}`]);
  });

  it("marks listed episodes (aired or not) with their own watchedAt", async () => {
    const uid = uniqueId("user");
    const showId = uniqueShowId();
    await env.fake.setShow(showId, { name: "Picky", seasons: [partlyAired] });
    const result = await markWatched(ctx(), uid, {
      showId,
      target: {
        type: "episodes",
        episodes: [
          { season: 1, episode: 3, watchedAt: "2025-01-01T00:00:00Z" },
          { season: 1, episode: 1 },
          { season: 1, episode: 1 },
        ],
      },
      watchedAt: "2025-02-01T00:00:00Z",
    });
    expect(result).toEqual({ showId, changed: 2 });
    expect(await historyIds(uid)).toEqual([
      `app_${showId}_1_1_${Date.parse("2025-02-01T00:00:00Z")}`,
      `app_${showId}_1_3_${Date.parse("2025-01-01T00:00:00Z")}`,
    ]);
  });

  it("answers not-found for an unknown show, season or episode and writes nothing", async () => {
    const uid = uniqueId("user");
    const showId = uniqueShowId();
    const gone = uniqueShowId();
    await env.fake.setShow(showId, { name: "Known", seasons: [partlyAired] });
    await env.fake.setShow(gone, null);
    const attempts = [
      {
        showId,
        target: {
          type: "episodes" as const,
          episodes: [
            { season: 1, episode: 1 },
            { season: 1, episode: 9 },
          ],
        },
      },
      { showId, target: { type: "season" as const, season: 4 } },
      { showId: gone, target: { type: "show" as const } },
      { showId: gone, target: { type: "season" as const, season: 1 } },
    ];
    for (const request of attempts) {
      await expect(markWatched(ctx(), uid, request)).rejects.toMatchObject({ code: "not-found" });
    }
    expect(await historyIds(uid)).toEqual([]);
    expect((await trackingRef(env.db, uid, showId).get()).exists).toBe(false);
  });

  it("answers unavailable when TMDB is down and nothing is cached, writing nothing", async () => {
    const uid = uniqueId("user");
    const showId = uniqueShowId();
    await env.fake.addFault({ path: `/tv/${showId}`, kind: "503" });
    await expect(markWatched(ctx(), uid, { showId, target: { type: "season", season: 1 } })).rejects.toMatchObject({ code: "unavailable" });
    expect(await historyIds(uid)).toEqual([]);
  });
});

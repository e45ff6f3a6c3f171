import { Timestamp } from "firebase-admin/firestore";
import { historyCollection, type EpisodePlay } from "../../functions/src/tracking/plays";
import { recordPlays } from "../../functions/src/tracking/repository";
import { trackingRef } from "../../functions/src/tracking/trackingDoc";
import { startTestEnv, uniqueId, uniqueShowId, type TestEnv } from "../support/admin";

let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(() => env.close());

const play = (showId: number, season: number, episode: number, n = 0): EpisodePlay => ({
  historyId: `trakt_${showId}${season}${episode}${n}`,
  showId,
  season,
  episode,
  watchedAt: new Date(Date.UTC(2024, 0, 1, 0, n)),
  source: "trakt",
  sourceId: `${showId}${season}${episode}${n}`,
  action: "watch",
});

describe("recordPlays", () => {
  it("writes more plays than one transaction takes, in consistent chunks, and replays as duplicates", async () => {
    const uid = uniqueId("user");
    const showId = uniqueShowId();
    const plays = Array.from({ length: 450 }, (_, i) => play(showId, 1 + Math.floor(i / 100), 1 + (i % 100)));
    expect(await recordPlays(env.db, uid, plays)).toEqual({ added: 450, duplicates: 0 });
    const doc = (await trackingRef(env.db, uid, showId).get()).data();
    expect(Object.keys(doc?.episodes)).toHaveLength(450);
    expect(Object.values(doc?.episodes as Record<string, { plays: number }>).every((e) => e.plays === 1)).toBe(true);
    expect((await historyCollection(env.db, uid).get()).size).toBe(450);
    expect(await recordPlays(env.db, uid, [...plays, plays[0]])).toEqual({ added: 0, duplicates: 451 });
  });

  it("with skipWatched, leaves episodes that are already watched alone", async () => {
    const uid = uniqueId("user");
    const showId = uniqueShowId();
    const watchedAt = Timestamp.fromDate(new Date("2020-01-01T00:00:00Z"));
    await trackingRef(env.db, uid, showId).set({ episodes: { "1_1": { watched: true, watchedAt }, "1_2": { watched: false, watchedAt } } });
    const result = await recordPlays(env.db, uid, [play(showId, 1, 1), play(showId, 1, 2)], { skipWatched: true });
    expect(result).toEqual({ added: 1, duplicates: 1 });
    const episodes = (await trackingRef(env.db, uid, showId).get()).data()?.episodes;
    expect(episodes["1_1"]).toEqual({ watched: true, watchedAt });
    expect(episodes["1_2"]).toMatchObject({ watched: true, plays: 1 });
  });

  it("counts each play once when the same plays are recorded concurrently", async () => {
    const uid = uniqueId("user");
    const showId = uniqueShowId();
    const plays = Array.from({ length: 30 }, (_, i) => play(showId, 1, 1 + (i % 10), i));
    const results = await Promise.all([
      recordPlays(env.db, uid, plays),
      recordPlays(env.db, uid, plays.slice(10)),
      recordPlays(env.db, uid, [...plays].reverse()),
    ]);
    expect(results.reduce((sum, r) => sum + r.added, 0)).toBe(30);
    const episodes = (await trackingRef(env.db, uid, showId).get()).data()?.episodes;
    for (let e = 1; e <= 10; e++) expect(episodes[`1_${e}`].plays).toBe(3);
  });
});

import { FieldPath, Timestamp } from "firebase-admin/firestore";
import { seasonRef } from "../../functions/src/cache/documents";
import { enrichLibrary } from "../../functions/src/enrichment/enrichLibrary";
import { enrichShow } from "../../functions/src/enrichment/enrichShow";
import { trackingRef } from "../../functions/src/tracking/trackingDoc";
import { episodeIdFor } from "../../tools/fake-tmdb/catalog";
import { startTestEnv, uniqueId, uniqueShowId, type TestEnv } from "../support/admin";
import { waitForDoc } from "../support/firestoreWait";

let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(() => env.close());

const watchedAt = Timestamp.fromMillis(Date.parse("2024-03-01T20:00:00Z"));

async function seedTracking(uid: string, showId: number, episodes: Record<string, object>) {
  await trackingRef(env.db, uid, showId).set({ episodes });
  return trackingRef(env.db, uid, showId);
}

describe("enrichShow", () => {
  it("fills the three TMDB fields and never touches watched, watchedAt, plays or posterPath", async () => {
    const uid = uniqueId("user");
    const showId = uniqueShowId();
    await env.fake.setShow(showId, {
      name: "Enrich Me",
      seasons: [
        { episodes: 4, airDate: "2019-01-01" },
        { episodes: 4, airDate: "2020-01-01" },
      ],
    });
    const ref = await seedTracking(uid, showId, {
      "1_1": { watched: true, watchedAt, plays: 2, posterPath: "/p.jpg" },
      "1_2": { watched: false, watchedAt },
      "2_3": { watched: true, watchedAt, episodeName: "User-supplied name" },
    });
    const result = await enrichShow(env.context(), uid, showId);
    expect(result).toMatchObject({ showId, enriched: 3, alreadyEnriched: 0, notFound: 0, pendingSeasons: [], malformedKeys: 0 });
    const episodes = (await ref.get()).data()?.episodes;
    expect(episodes["1_1"]).toEqual({
      watched: true,
      watchedAt,
      plays: 2,
      posterPath: "/p.jpg",
      episodeId: episodeIdFor(showId, 1, 1),
      episodeName: "S1E1 of Enrich Me",
      episodeAirDate: "2019-01-01",
    });
    expect(episodes["1_2"]).toMatchObject({ watched: false, watchedAt, episodeAirDate: "2019-01-08" });
    expect(episodes["2_3"].episodeName).toBe("S2E3 of Enrich Me");
    expect((await env.fake.stats(`/tv/${showId}`)).total).toBe(1);
  });

  it("skips the write entirely when nothing changed", async () => {
    const uid = uniqueId("user");
    const showId = uniqueShowId();
    const ref = await seedTracking(uid, showId, { "1_1": { watched: true, watchedAt } });
    await enrichShow(env.context(), uid, showId);
    const before = await ref.get();
    const again = await enrichShow(env.context(), uid, showId);
    expect(again).toMatchObject({ enriched: 0, alreadyEnriched: 1 });
    expect((await ref.get()).updateTime?.isEqual(before.updateTime as Timestamp)).toBe(true);
  });

  it("counts malformed keys and unknown episodes and leaves them alone", async () => {
    const uid = uniqueId("user");
    const showId = uniqueShowId();
    const ref = await seedTracking(uid, showId, {
      "1_x": { watched: true, watchedAt },
      "-1_2": { watched: true, watchedAt },
      "1_1": { watched: true, watchedAt },
      "1_999": { watched: true, watchedAt },
      "88_1": { watched: false, watchedAt },
    });
    const result = await enrichShow(env.context(), uid, showId);
    expect(result).toMatchObject({ enriched: 1, notFound: 2, malformedKeys: 2 });
    const episodes = (await ref.get()).data()?.episodes;
    expect(episodes["1_x"]).toEqual({ watched: true, watchedAt });
    expect(episodes["-1_2"]).toEqual({ watched: true, watchedAt });
    expect(episodes["1_999"]).toEqual({ watched: true, watchedAt });
  });

  it("does not lose a watched: false → true change made while it runs", async () => {
    const uid = uniqueId("user");
    const showId = uniqueShowId();
    const ref = await seedTracking(uid, showId, { "1_1": { watched: false, watchedAt }, "1_2": { watched: false, watchedAt } });
    await env.fake.setLatency(300);
    const locked = await waitForDoc(seasonRef(env.db, showId, 1), (d) => d?.status === "populating");
    const running = enrichShow(env.context(), uid, showId);
    await locked.reached; // enrichment has read the user's document and is waiting on TMDB
    await ref.update(new FieldPath("episodes", "1_2", "watched"), true);
    const result = await running;
    await env.fake.setLatency(0);
    expect(result.enriched).toBe(2);
    const episodes = (await ref.get()).data()?.episodes;
    expect(episodes["1_2"]).toMatchObject({ watched: true, episodeId: episodeIdFor(showId, 1, 2) });
    expect(episodes["1_1"]).toMatchObject({ watched: false, episodeId: episodeIdFor(showId, 1, 1) });
  });

  it("reports TMDB unavailable and leaves the user's document and the cache untouched", async () => {
    const uid = uniqueId("user");
    const showId = uniqueShowId();
    const ref = await seedTracking(uid, showId, { "1_1": { watched: true, watchedAt }, "2_1": { watched: false, watchedAt } });
    const before = await ref.get();
    await env.fake.addFault({ path: `/tv/${showId}`, kind: "500" });
    await expect(enrichShow(env.context({ tmdb: { maxRetries: 1 } }), uid, showId)).rejects.toMatchObject({ code: "unavailable" });
    const after = await ref.get();
    expect(after.updateTime?.isEqual(before.updateTime as Timestamp)).toBe(true);
    expect(after.data()).toEqual(before.data());
    expect((await seasonRef(env.db, showId, 1).get()).exists).toBe(false);
    expect((await seasonRef(env.db, showId, 2).get()).exists).toBe(false);
  });

  it("reports seasons under another request's live lock as pending and enriches the rest", async () => {
    const uid = uniqueId("user");
    const showId = uniqueShowId();
    await seasonRef(env.db, showId, 2).set({ episodes: {}, status: "populating", lastUpdated: Timestamp.now() });
    await seedTracking(uid, showId, { "1_1": { watched: true, watchedAt }, "2_1": { watched: true, watchedAt } });
    const result = await enrichShow(env.context({ config: { lockWaitMs: 100 } }), uid, showId);
    expect(result).toMatchObject({ enriched: 1, pendingSeasons: [2] });
    expect((await env.fake.stats(`/tv/${showId}/season/2`)).total).toBe(0);
  });

  it("refuses an enrichment that would push the document past 1 MiB and writes nothing", async () => {
    const uid = uniqueId("user");
    const showId = uniqueShowId();
    await env.fake.setShow(showId, { name: "x".repeat(10), seasons: [{ episodes: 3, airDate: "2019-01-01" }] });
    const ref = await seedTracking(uid, showId, { "1_1": { watched: true, watchedAt, posterPath: "p".repeat(1_040_000) } });
    const before = await ref.get();
    await expect(enrichShow(env.context(), uid, showId)).rejects.toMatchObject({ code: "failed-precondition" });
    expect((await ref.get()).updateTime?.isEqual(before.updateTime as Timestamp)).toBe(true);
  });
});

describe("enrichLibrary", () => {
  it("enriches every show of the user", async () => {
    const uid = uniqueId("user");
    const [a, b] = [uniqueShowId(), uniqueShowId()];
    await seedTracking(uid, a, { "1_1": { watched: true, watchedAt } });
    await seedTracking(uid, b, { "1_1": { watched: true, watchedAt }, "1_2": { watched: true, watchedAt } });
    expect(await enrichLibrary(env.context(), uid)).toEqual({ shows: 2, enriched: 3, pendingSeasons: 0 });
    expect(await enrichLibrary(env.context(), uid)).toEqual({ shows: 2, enriched: 0, pendingSeasons: 0 });
  });

  it("reads ahead past several groups of shows and still takes over what changed since: one TMDB request per uncached show", async () => {
    const uid = uniqueId("user");
    const shows = Array.from({ length: 23 }, () => uniqueShowId());
    for (const showId of shows) {
      await env.fake.setShow(showId, {
        name: `Library ${showId}`,
        seasons: [
          { episodes: 2, airDate: "2018-01-01" },
          { episodes: 2, airDate: "2019-01-01" },
        ],
      });
      await seedTracking(uid, showId, { "1_1": { watched: true, watchedAt }, "2_1": { watched: true, watchedAt } });
    }
    // Three shows already cached by another user; one whose lock belongs to a holder that died.
    for (const showId of shows.slice(0, 3)) await env.context().cache.load(showId, [1, 2]);
    const dead = shows[20];
    for (const season of [1, 2])
      await seasonRef(env.db, dead, season).set({
        episodes: {},
        status: "populating",
        lastUpdated: Timestamp.fromMillis(Date.now() - 61_000),
      });
    const before = (await env.fake.stats("/tv/")).total;

    expect(await enrichLibrary(env.context(), uid)).toEqual({ shows: 23, enriched: 46, pendingSeasons: 0 });
    expect((await env.fake.stats("/tv/")).total - before).toBe(20);
    expect((await seasonRef(env.db, dead, 2).get()).get("status")).toBe("complete");
  });
});

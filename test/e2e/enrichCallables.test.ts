import { Timestamp } from "firebase-admin/firestore";
import { seasonRef } from "../../functions/src/cache/documents";
import { trackingRef } from "../../functions/src/tracking/trackingDoc";
import { uniqueShowId } from "../support/admin";
import { useE2eEnv } from "../support/e2e";
import { anonymousClient, sharedFakeTmdb } from "../support/client";

const e2e = useE2eEnv();
const user = () => e2e.user();
const fake = sharedFakeTmdb();
const watchedAt = Timestamp.fromMillis(Date.parse("2024-03-01T20:00:00Z"));
const threeSeasons = {
  name: "Crowd Pleaser",
  seasons: [
    { episodes: 6, airDate: "2018-01-01" },
    { episodes: 6, airDate: "2019-01-01" },
    { episodes: 6, airDate: "2020-01-01" },
  ],
};

describe("enrichShow through the client SDK", () => {
  it("25 users enriching the same 3-season show at once cost TMDB one request per season at most", async () => {
    const showId = uniqueShowId();
    await fake.setShow(showId, threeSeasons);
    const crowd = await Promise.all(Array.from({ length: 25 }, () => user()));
    await Promise.all(
      crowd.map((u) =>
        trackingRef(e2e.db, u.uid, showId).set({
          episodes: { "1_1": { watched: true, watchedAt }, "2_2": { watched: true, watchedAt }, "3_3": { watched: false, watchedAt } },
        }),
      ),
    );

    const results = await Promise.all(crowd.map((u) => u.api.enrichShow({ showId })));

    const stats = await fake.stats(`/tv/${showId}`);
    const requests = await fake.requests(`/tv/${showId}`);
    const seasonsRequested = requests.flatMap((r) =>
      r.path.includes("/season/") ? [r.path] : (r.query.append_to_response ?? "").split(",").filter(Boolean),
    );
    expect(seasonsRequested.sort()).toEqual(["season/1", "season/2", "season/3"]);
    expect(stats.total).toBeLessThanOrEqual(3);
    for (const result of results) {
      expect(result).toEqual({ showId, enriched: 3, alreadyEnriched: 0, notFound: 0, pendingSeasons: [] });
    }
    const doc = (await trackingRef(e2e.db, crowd[7].uid, showId).get()).data();
    expect(doc?.episodes["3_3"]).toMatchObject({ watched: false, episodeName: "S3E3 of Crowd Pleaser" });
    // The Functions emulator starts one worker process per concurrent request: 25 cold starts on 2 cores.
  }, 180_000);

  it("waits for another request's live lock and serves what its holder completes, without calling TMDB", async () => {
    const u = await user();
    const showId = uniqueShowId();
    await seasonRef(e2e.db, showId, 1).set({ episodes: {}, status: "populating", lastUpdated: Timestamp.now() });
    await trackingRef(e2e.db, u.uid, showId).set({ episodes: { "1_1": { watched: true, watchedAt } } });
    const call = u.api.enrichShow({ showId });
    // The holder completes the season (whether before or while the call listens, the answer is the same).
    const episodes = { "1": { episodeId: 9_000_001, episodeName: "Filled by the holder", episodeAirDate: "2020-01-01" } };
    await seasonRef(e2e.db, showId, 1).set({ episodes, status: "complete", lastUpdated: Timestamp.now() });
    expect(await call).toEqual({ showId, enriched: 1, alreadyEnriched: 0, notFound: 0, pendingSeasons: [] });
    expect((await fake.stats(`/tv/${showId}`)).total).toBe(0);
    const tracked = (await trackingRef(e2e.db, u.uid, showId).get()).get("episodes") as Record<string, { episodeName?: string }>;
    expect(tracked["1_1"].episodeName).toBe("Filled by the holder");
  });

  it("takes over a lock whose holder died once its lease runs out, and fetches the season once", async () => {
    const u = await user();
    const showId = uniqueShowId();
    // Taken by a holder that died 57 s ago: the lease (LOCK_LEASE_SECONDS=60 in functions/.env) ends in 3 s.
    await seasonRef(e2e.db, showId, 1).set({ episodes: {}, status: "populating", lastUpdated: Timestamp.fromMillis(Date.now() - 57_000) });
    await trackingRef(e2e.db, u.uid, showId).set({ episodes: { "1_1": { watched: true, watchedAt } } });
    expect(await u.api.enrichShow({ showId })).toEqual({ showId, enriched: 1, alreadyEnriched: 0, notFound: 0, pendingSeasons: [] });
    expect((await fake.stats(`/tv/${showId}`)).total).toBe(1);
    expect((await seasonRef(e2e.db, showId, 1).get()).get("status")).toBe("complete");
  });

  it("answers unavailable when TMDB keeps failing and changes nothing", async () => {
    const u = await user();
    const showId = uniqueShowId();
    await fake.addFault({ path: `/tv/${showId}`, kind: "500" });
    const ref = trackingRef(e2e.db, u.uid, showId);
    await ref.set({ episodes: { "1_1": { watched: true, watchedAt } } });
    const before = await ref.get();
    await expect(u.call("enrichShow", { showId })).rejects.toMatchObject({ code: "functions/unavailable" });
    expect((await ref.get()).updateTime?.isEqual(before.updateTime as Timestamp)).toBe(true);
    expect((await seasonRef(e2e.db, showId, 1).get()).exists).toBe(false);
  });

  it("rejects unauthenticated calls and invalid payloads, naming the field, and writes nothing", async () => {
    const showId = uniqueShowId();
    const anonymous = anonymousClient();
    await expect(anonymous.call("enrichShow", { showId })).rejects.toMatchObject({ code: "functions/unauthenticated" });
    await expect(anonymous.call("enrichLibrary", {})).rejects.toMatchObject({ code: "functions/unauthenticated" });
    await anonymous.close();
    const u = await user();
    for (const bad of [{}, { showId: "12" }, { showId: -1 }, { showId: 1.5 }, { showId: 0 }]) {
      await expect(u.call("enrichShow", bad)).rejects.toMatchObject({
        code: "functions/invalid-argument",
        message: expect.stringContaining("showId"),
      });
    }
    expect((await fake.stats(`/tv/${showId}`)).total).toBe(0);
    expect((await e2e.db.collection("users").doc(u.uid).collection("episode_tracking").get()).size).toBe(0);
  });
});

describe("enrichLibrary through the client SDK", () => {
  it("enriches every show of the caller only", async () => {
    const [me, other] = [await user(), await user()];
    const [a, b] = [uniqueShowId(), uniqueShowId()];
    await trackingRef(e2e.db, me.uid, a).set({ episodes: { "1_1": { watched: true, watchedAt } } });
    await trackingRef(e2e.db, me.uid, b).set({ episodes: { "1_1": { watched: true, watchedAt }, "1_2": { watched: false, watchedAt } } });
    await trackingRef(e2e.db, other.uid, a).set({ episodes: { "1_2": { watched: true, watchedAt } } });
    expect(await me.call("enrichLibrary", {})).toEqual({ shows: 2, enriched: 3, pendingSeasons: 0 });
    expect((await trackingRef(e2e.db, other.uid, a).get()).data()?.episodes["1_2"]).toEqual({ watched: true, watchedAt });
  });
});

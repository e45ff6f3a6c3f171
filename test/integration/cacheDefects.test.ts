import { Timestamp } from "firebase-admin/firestore";
import { seasonRef, showRef } from "../../functions/src/cache/documents";
import { enrichShow } from "../../functions/src/enrichment/enrichShow";
import { markWatched } from "../../functions/src/history/markWatched";
import { getShowProgress } from "../../functions/src/progress/getShowProgress";
import { trackingRef } from "../../functions/src/tracking/trackingDoc";
import { episodeIdFor } from "../../tools/fake-tmdb/catalog";
import { startTestEnv, uniqueId, uniqueShowId, type TestEnv } from "../support/admin";
import { waitForDoc } from "../support/firestoreWait";

/** Defects of the TMDB cache found by the hostile-world probe (issue 17), each guarded here. */
const DAY = 86_400_000;
let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(() => env.close());

describe("seasons the show does not list (issue 17, item 7)", () => {
  it("cost no TMDB request and no cache document: one markWatched naming 999 nonexistent seasons", async () => {
    const showId = uniqueShowId();
    await env.fake.setShow(showId, {
      name: "Two Seasons",
      seasons: [
        { episodes: 3, airDate: "2015-01-01" },
        { episodes: 3, airDate: "2016-01-01" },
      ],
    });
    const episodes = [{ season: 1, episode: 1 }, ...Array.from({ length: 999 }, (_, i) => ({ season: i + 3, episode: 1 }))];
    await expect(markWatched(env.context(), uniqueId("user"), { showId, target: { type: "episodes", episodes } })).rejects.toMatchObject({
      code: "not-found",
    });
    expect((await env.fake.stats(`/tv/${showId}`)).total).toBeLessThanOrEqual(2);
    for (const season of [3, 500, 1001]) expect((await seasonRef(env.db, showId, season).get()).exists).toBe(false);
  });
});

describe("a season too big for one cache document (issue 17, item 2; the fake names episodes tersely, so 19,999 of them)", () => {
  const bigShow = async () => {
    const showId = uniqueShowId();
    await env.fake.setShow(showId, {
      name: "Daily",
      seasons: [
        { episodes: 3, airDate: "2015-01-01" },
        { episodes: 19_999, airDate: "1940-01-01", intervalDays: 1 },
      ],
    });
    return showId;
  };
  const watchedAt = Timestamp.fromDate(new Date("2024-01-01T00:00:00Z"));

  it("is refused with failed-precondition, the rest of the show is enriched, and TMDB is not asked again", async () => {
    const showId = await bigShow();
    const uid = uniqueId("user");
    const ref = trackingRef(env.db, uid, showId);
    await ref.set({ showId, episodes: { "1_1": { watched: true, watchedAt }, "2_1": { watched: true, watchedAt } } });
    await env.context().cache.getShow(showId); // the show's own facts, which markWatched and progress read too
    await expect(enrichShow(env.context(), uid, showId)).rejects.toMatchObject({ code: "failed-precondition" });
    expect((await ref.get()).data()?.episodes["1_1"]).toMatchObject({ episodeId: episodeIdFor(showId, 1, 1) });
    const requests = (await env.fake.stats(`/tv/${showId}`)).total;

    await expect(enrichShow(env.context(), uid, showId)).rejects.toMatchObject({ code: "failed-precondition" });
    await expect(
      markWatched(env.context(), uid, { showId, target: { type: "episodes", episodes: [{ season: 2, episode: 5 }] } }),
    ).rejects.toMatchObject({
      code: "failed-precondition",
    });
    await expect(getShowProgress(env.context(), uid, { showId })).resolves.toMatchObject({ showId });
    expect((await env.fake.stats(`/tv/${showId}`)).total).toBe(requests);
    // The refusal is remembered with the ongoing TTL: a week later TMDB is asked again.
    await expect(enrichShow(env.context({ clock: () => new Date(Date.now() + 8 * DAY) }), uid, showId)).rejects.toMatchObject({
      code: "failed-precondition",
    });
    expect((await env.fake.stats(`/tv/${showId}`)).total).toBeGreaterThan(requests);
  });
});

describe("show documents re-locked past TMDB's six months (issue 17, housekeeping)", () => {
  it("drop their old fields while locked", async () => {
    const showId = uniqueShowId();
    const ref = showRef(env.db, showId);
    await ref.set({
      name: "Ancient name",
      showStatus: "Ended",
      inProduction: false,
      numberOfSeasons: 1,
      numberOfEpisodes: 1,
      seasons: { "1": { episodeCount: 1, airDate: "2000-01-01" } },
      nextEpisodeToAir: null,
      notFound: false,
      status: "complete",
      lastUpdated: Timestamp.fromMillis(Date.now() - 200 * DAY),
    });
    await env.fake.setLatency(300);
    try {
      const locked = await waitForDoc(ref, (d) => d?.status === "populating");
      const refresh = env.context().cache.getShow(showId);
      const whileLocked = await locked.reached;
      expect(whileLocked?.name ?? null).toBeNull();
      expect(whileLocked?.seasons ?? {}).toEqual({});
      expect((await refresh).state).toBe("fetched");
    } finally {
      await env.fake.setLatency(0);
    }
    expect((await ref.get()).data()?.name).not.toBe("Ancient name");
  });
});

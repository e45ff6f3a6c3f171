import { Timestamp } from "firebase-admin/firestore";
import { seasonRef, showRef } from "../../functions/src/cache/documents";
import { markWatched } from "../../functions/src/history/markWatched";
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
    await env.fake.setShow(showId, { name: "Two Seasons", seasons: [{ episodes: 3, airDate: "2015-01-01" }, { episodes: 3, airDate: "2016-01-01" }] });
    const episodes = [{ season: 1, episode: 1 }, ...Array.from({ length: 999 }, (_, i) => ({ season: i + 3, episode: 1 }))];
    await expect(markWatched(env.context(), uniqueId("user"), { showId, target: { type: "episodes", episodes } })).rejects.toMatchObject({ code: "not-found" });
    expect((await env.fake.stats(`/tv/${showId}`)).total).toBeLessThanOrEqual(2);
    for (const season of [3, 500, 1001]) expect((await seasonRef(env.db, showId, season).get()).exists).toBe(false);
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

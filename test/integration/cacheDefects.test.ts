import { seasonRef } from "../../functions/src/cache/documents";
import { markWatched } from "../../functions/src/history/markWatched";
import { startTestEnv, uniqueId, uniqueShowId, type TestEnv } from "../support/admin";

/** Defects of the TMDB cache found by the hostile-world probe (issue 17), each guarded here. */
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

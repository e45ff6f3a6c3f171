import { Timestamp } from "firebase-admin/firestore";
import { findByExternalId, findByExternalIds, lookupRef } from "../../functions/src/cache/lookups";
import { tvdbEpisodeIdFor, tvdbIdFor } from "../../tools/fake-tmdb/catalog";
import { startTestEnv, uniqueShowId, type TestEnv } from "../support/admin";

let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(() => env.close());

const findRequests = async (id: string) => (await env.fake.stats(`/find/${id}`)).total;

describe("findByExternalId (the lookup cache, tmdb_cache/lookups/find)", () => {
  it("resolves an episode's tvdb id to its show, season and episode, once for a crowd of callers", async () => {
    const showId = uniqueShowId();
    const id = tvdbEpisodeIdFor(showId, 2, 3);
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, () => findByExternalId(env.context(), { source: "tvdb_id", id, kind: "episode" })),
    );
    for (const outcome of outcomes) expect(outcome).toEqual({ match: { kind: "episode", showId, season: 2, episode: 3 } });
    expect(await findRequests(id)).toBe(1);
    // The same id asked for another kind is answered from the same document: no second request.
    expect(await findByExternalId(env.context(), { source: "tvdb_id", id, kind: "show" })).toEqual({ match: null });
    expect(await findRequests(id)).toBe(1);
  });

  it("resolves a show's tvdb id and caches a miss as well", async () => {
    const showId = uniqueShowId();
    const [found, missing] = await findByExternalIds(env.context(), [
      { source: "tvdb_id", id: tvdbIdFor(showId), kind: "show" },
      { source: "imdb_id", id: "tt-nothing-here", kind: "movie" },
    ]);
    expect(found).toEqual({ match: { kind: "show", showId } });
    expect(missing).toEqual({ match: null });
    expect(await findByExternalId(env.context(), { source: "imdb_id", id: "tt-nothing-here", kind: "movie" })).toEqual({ match: null });
    expect(await findRequests("tt-nothing-here")).toBe(1);
  });

  it("keeps answering shows from documents written before episodes and movies were kept, and refreshes them once for those kinds", async () => {
    const showId = uniqueShowId();
    const id = tvdbIdFor(showId);
    await lookupRef(env.db, "find", `tvdb_${id}`).set({ showId, query: `tvdb_id:${id}`, status: "complete", lastUpdated: Timestamp.now() });
    expect(await findByExternalId(env.context(), { source: "tvdb_id", id, kind: "show" })).toEqual({ match: { kind: "show", showId } });
    expect(await findRequests(id)).toBe(0);
    expect(await findByExternalId(env.context(), { source: "tvdb_id", id, kind: "movie" })).toEqual({ match: null });
    expect(await findByExternalId(env.context(), { source: "tvdb_id", id, kind: "episode" })).toEqual({ match: null });
    expect(await findRequests(id)).toBe(1);
  });
});

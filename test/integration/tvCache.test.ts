import { Timestamp } from "firebase-admin/firestore";
import { metered } from "../../functions/src/shared/app";
import { seasonRef, showRef, type SeasonCacheDoc } from "../../functions/src/cache/documents";
import { AppError } from "../../functions/src/shared/errors";
import { startTestEnv, uniqueShowId, type TestEnv } from "../support/admin";
import { waitForDoc } from "../support/firestoreWait";

const DAY = 86_400_000;
let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(() => env.close());

const seasonDoc = async (showId: number, season: number) =>
  (await seasonRef(env.db, showId, season).get()).data() as SeasonCacheDoc | undefined;

describe("season documents", () => {
  it("have exactly the contract's shape: episodes, lastUpdated, status and three fields per episode", async () => {
    const showId = uniqueShowId();
    const result = await env.context().cache.getSeasonFromCacheOrTMDB(showId, 1);
    expect(result.state).toBe("fetched");
    const doc = await seasonDoc(showId, 1);
    expect(Object.keys(doc ?? {}).sort()).toEqual(["episodes", "lastUpdated", "status"]);
    expect(doc?.status).toBe("complete");
    expect(doc?.lastUpdated).toBeInstanceOf(Timestamp);
    const episodes = Object.entries(doc?.episodes ?? {});
    expect(episodes.length).toBeGreaterThan(0);
    for (const [number, episode] of episodes) {
      expect(number).toMatch(/^[1-9]\d*$/);
      expect(Object.keys(episode).sort()).toEqual(["episodeAirDate", "episodeId", "episodeName"]);
      expect(typeof episode.episodeId).toBe("number");
      expect(typeof episode.episodeName).toBe("string");
    }
  });

  it("fetches several missing seasons of a show in one TMDB request and fills the show document too", async () => {
    const showId = uniqueShowId();
    await env.fake.setShow(showId, {
      name: "Three Seasons",
      seasons: [
        { episodes: 5, airDate: "2015-01-01" },
        { episodes: 6, airDate: "2016-01-01" },
        { episodes: 7, airDate: "2017-01-01" },
      ],
    });
    const ctx = env.context();
    const { seasons, tmdbCalls } = await ctx.cache.load(showId, [1, 2, 3], { includeShow: true });
    expect(tmdbCalls).toBe(1);
    expect([...seasons.values()].map((s) => s.state)).toEqual(["fetched", "fetched", "fetched"]);
    expect((await env.fake.stats(`/tv/${showId}`)).total).toBe(1);
    for (const [season, count] of [
      [1, 5],
      [2, 6],
      [3, 7],
    ]) {
      expect(Object.keys((await seasonDoc(showId, season))?.episodes ?? {})).toHaveLength(count);
    }
    const show = (await showRef(env.db, showId).get()).data();
    expect(show).toMatchObject({ name: "Three Seasons", numberOfSeasons: 3, numberOfEpisodes: 18, status: "complete" });
  });

  it("serves a fresh document without calling TMDB", async () => {
    const showId = uniqueShowId();
    await env.context().cache.getSeasonFromCacheOrTMDB(showId, 1);
    const second = await env.context().cache.getSeasonFromCacheOrTMDB(showId, 1);
    expect(second.state).toBe("fresh");
    expect((await env.fake.stats(`/tv/${showId}`)).total).toBe(1);
  });

  it("caches a TMDB 404 as complete with no episodes and does not ask again", async () => {
    const showId = uniqueShowId();
    const first = await env.context().cache.getSeasonFromCacheOrTMDB(showId, 77);
    expect(first).toMatchObject({ state: "fetched", notFound: true, episodes: {} });
    const second = await env.context().cache.getSeasonFromCacheOrTMDB(showId, 77);
    expect(second).toMatchObject({ state: "fresh", notFound: true });
    expect((await env.fake.stats(`/tv/${showId}`)).total).toBe(1);
    expect(await seasonDoc(showId, 77)).toMatchObject({ status: "complete", episodes: {} });
  });
});

describe("freshness", () => {
  it("keeps an ended season for 30 days and an ongoing or 404 season for 7", async () => {
    const ended = uniqueShowId();
    const ongoing = uniqueShowId();
    const today = new Date().toISOString().slice(0, 10);
    await env.fake.setShow(ongoing, { name: "Airing", inProduction: true, seasons: [{ episodes: 10, airDate: today, intervalDays: 7 }] });
    const at = (days: number) => () => new Date(Date.now() + days * DAY);
    await env.context().cache.load(ended, [1, 99]);
    await env.context().cache.load(ongoing, [1]);

    const day6 = env.context({ clock: at(6) });
    expect((await day6.cache.load(ongoing, [1])).tmdbCalls).toBe(0);
    expect((await day6.cache.load(ended, [1, 99])).tmdbCalls).toBe(0);

    const day8 = env.context({ clock: at(8) });
    expect((await day8.cache.load(ongoing, [1])).tmdbCalls).toBe(1);
    expect((await day8.cache.load(ended, [99])).tmdbCalls).toBe(1);
    expect((await day8.cache.load(ended, [1])).tmdbCalls).toBe(0);

    expect((await env.context({ clock: at(29) }).cache.load(ended, [1])).tmdbCalls).toBe(0);
    expect((await env.context({ clock: at(31) }).cache.load(ended, [1])).tmdbCalls).toBe(1);
  });
});

describe("the populating lock", () => {
  it("takes over an abandoned lock (older than the lease)", async () => {
    const showId = uniqueShowId();
    await seasonRef(env.db, showId, 1).set({ episodes: {}, status: "populating", lastUpdated: Timestamp.fromMillis(Date.now() - 61_000) });
    const result = await env.context().cache.getSeasonFromCacheOrTMDB(showId, 1);
    expect(result.state).toBe("fetched");
    expect((await seasonDoc(showId, 1))?.status).toBe("complete");
    expect((await env.fake.stats(`/tv/${showId}`)).total).toBe(1);
  });

  it("respects a live lock: no TMDB call, the season is pending and the document untouched", async () => {
    const showId = uniqueShowId();
    const lockedAt = Timestamp.fromMillis(Date.now() - 5_000);
    await seasonRef(env.db, showId, 2).set({ episodes: {}, status: "populating", lastUpdated: lockedAt });
    const result = await env.context({ config: { lockWaitMs: 150 } }).cache.getSeasonFromCacheOrTMDB(showId, 2);
    expect(result.state).toBe("pending");
    expect((await env.fake.stats(`/tv/${showId}`)).total).toBe(0);
    expect(await seasonDoc(showId, 2)).toEqual({ episodes: {}, status: "populating", lastUpdated: lockedAt });
  });

  it("serves a stale document's old episodes to readers while one request refreshes it", async () => {
    const showId = uniqueShowId();
    const old = { "1": { episodeId: 1, episodeName: "Old name", episodeAirDate: "2001-01-01" } };
    await seasonRef(env.db, showId, 1).set({ episodes: old, status: "complete", lastUpdated: Timestamp.fromMillis(Date.now() - 40 * DAY) });
    await env.fake.setLatency(400);
    const locked = await waitForDoc(seasonRef(env.db, showId, 1), (d) => d?.status === "populating");
    const refresh = env.context().cache.getSeasonFromCacheOrTMDB(showId, 1);
    await locked.reached;
    const reader = await env.context({ config: { lockWaitMs: 0 } }).cache.getSeasonFromCacheOrTMDB(showId, 1);
    expect(reader).toEqual({ state: "stale", episodes: old, notFound: false });
    const refreshed = await refresh;
    await env.fake.setLatency(0);
    expect(refreshed.state).toBe("fetched");
    expect((await seasonDoc(showId, 1))?.episodes["1"].episodeName).not.toBe("Old name");
    expect((await env.fake.stats(`/tv/${showId}`)).total).toBe(1);
  });

  it("gives 25 concurrent readers of a missing show one TMDB request for its three seasons", async () => {
    const showId = uniqueShowId();
    await env.fake.setShow(showId, {
      name: "Crowd",
      seasons: [
        { episodes: 8, airDate: "2010-01-01" },
        { episodes: 8, airDate: "2011-01-01" },
        { episodes: 8, airDate: "2012-01-01" },
      ],
    });
    const results = await Promise.all(Array.from({ length: 25 }, () => env.context().cache.load(showId, [1, 2, 3])));
    const states = results.flatMap((r) => [...r.seasons.values()].map((s) => s.state));
    expect(states.filter((s) => s === "fetched")).toHaveLength(3);
    expect(states.filter((s) => s !== "fetched" && s !== "fresh")).toEqual([]);
    expect((await env.fake.stats(`/tv/${showId}`)).total).toBe(1);
  });
});

describe("waiting on a live lock (listening, not polling)", () => {
  const episodes = { "1": { episodeId: 7, episodeName: "From the holder", episodeAirDate: "2001-01-01" } };

  it("answers a waiter with the season its holder completes, with no TMDB call of its own", async () => {
    const showId = uniqueShowId();
    const ref = seasonRef(env.db, showId, 1);
    await ref.set({ episodes: {}, status: "populating", lastUpdated: Timestamp.now() });
    const waiter = env.context().cache.getSeasonFromCacheOrTMDB(showId, 1);
    await ref.set({ episodes, status: "complete", lastUpdated: Timestamp.now() });
    expect(await waiter).toEqual({ state: "fresh", episodes, notFound: false });
    expect((await env.fake.stats(`/tv/${showId}`)).total).toBe(0);
  });

  it("gives a crowd the seasons even when the holder's TMDB request outlasts the old 2 s wait: nobody is pending", async () => {
    const showId = uniqueShowId();
    await env.fake.setShow(showId, {
      name: "Slow",
      seasons: [
        { episodes: 4, airDate: "2010-01-01" },
        { episodes: 4, airDate: "2011-01-01" },
      ],
    });
    await env.fake.setLatency(2500);
    try {
      // The holder's TMDB client must not time out before the slow answer arrives.
      const results = await Promise.all(
        Array.from({ length: 10 }, () => env.context({ tmdb: { timeoutMs: 10_000 } }).cache.load(showId, [1, 2])),
      );
      const states = results.flatMap((r) => [...r.seasons.values()].map((s) => s.state));
      expect(states.filter((s) => s === "pending")).toEqual([]);
      expect(states.filter((s) => s === "fetched")).toHaveLength(2);
    } finally {
      await env.fake.setLatency(0);
    }
    expect((await env.fake.stats(`/tv/${showId}`)).total).toBe(1);
  });

  it("completes a holder's seasons in one commit, so a waiter listening to one of them sees them all settle", async () => {
    const showId = uniqueShowId();
    await env.fake.setShow(showId, {
      name: "Together",
      seasons: [
        { episodes: 3, airDate: "2010-01-01" },
        { episodes: 3, airDate: "2011-01-01" },
        { episodes: 3, airDate: "2012-01-01" },
      ],
    });
    await env.context().cache.load(showId, [1, 2, 3]);
    const snaps = await env.db.getAll(...[1, 2, 3].map((season) => seasonRef(env.db, showId, season)));
    expect(snaps.map((snap) => snap.get("status"))).toEqual(["complete", "complete", "complete"]);
    expect(new Set(snaps.map((snap) => snap.updateTime?.toMillis() + ":" + snap.updateTime?.nanoseconds)).size).toBe(1);
  });

  it("waits again for seasons another holder still has when the season it listened to settles", async () => {
    const showId = uniqueShowId();
    const [one, two] = [seasonRef(env.db, showId, 1), seasonRef(env.db, showId, 2)];
    await one.set({ episodes: {}, status: "populating", lastUpdated: Timestamp.now() });
    await two.set({ episodes: {}, status: "populating", lastUpdated: Timestamp.now() });
    const waiter = env.context().cache.load(showId, [1, 2]);
    await one.set({ episodes, status: "complete", lastUpdated: Timestamp.now() });
    await two.set({ episodes, status: "complete", lastUpdated: Timestamp.now() });
    const { seasons, tmdbCalls } = await waiter;
    expect([seasons.get(1), seasons.get(2)]).toEqual([
      { state: "fresh", episodes, notFound: false },
      { state: "fresh", episodes, notFound: false },
    ]);
    expect(tmdbCalls).toBe(0);
  });

  it("takes over a lock whose holder died once its lease runs out, while waiting on it", async () => {
    const showId = uniqueShowId();
    await seasonRef(env.db, showId, 1).set({ episodes: {}, status: "populating", lastUpdated: Timestamp.now() });
    const result = await env.context({ config: { lockLeaseSeconds: 1 } }).cache.getSeasonFromCacheOrTMDB(showId, 1);
    expect(result.state).toBe("fetched");
    expect((await seasonDoc(showId, 1))?.status).toBe("complete");
    expect((await env.fake.stats(`/tv/${showId}`)).total).toBe(1);
  });
});

describe("TMDB request meters", () => {
  it("count each invocation's own requests, even when concurrent invocations share one client", async () => {
    const base = env.context();
    const [first, second] = [metered(base), metered(base)];
    const [one, two] = [uniqueShowId(), uniqueShowId()];
    await Promise.all([first.cache.load(one, [1]), second.cache.load(two, [1]), second.cache.load(two, [2])]);
    expect(first.meter.requests).toBe(1);
    expect(second.meter.requests).toBe(2);
    expect(base.tmdb.requestCount).toBe(3);
  });
});

describe("TMDB faults", () => {
  it("retries a 429 after its Retry-After and a 500, then succeeds", async () => {
    const showId = uniqueShowId();
    await env.fake.addFault({ path: `/tv/${showId}/season/1`, kind: "429", nth: 1, retryAfterSeconds: 1 });
    await env.fake.addFault({ path: `/tv/${showId}/season/1`, kind: "500", nth: 2 });
    const result = await env.context().cache.getSeasonFromCacheOrTMDB(showId, 1);
    expect(result.state).toBe("fetched");
    expect((await env.fake.stats(`/tv/${showId}/season/1`)).total).toBe(3);
  });

  it.each(["500", "timeout", "malformed", "reset"] as const)("reports %s as unavailable and leaves no cache document", async (kind) => {
    const showId = uniqueShowId();
    await env.fake.addFault({ path: `/tv/${showId}`, kind });
    const ctx = env.context({ tmdb: { maxRetries: 2, timeoutMs: 300 } });
    const result = await ctx.cache.getSeasonFromCacheOrTMDB(showId, 1);
    expect(result.state).toBe("unavailable");
    expect(result.state === "unavailable" && result.error).toBeInstanceOf(AppError);
    expect(result.state === "unavailable" && result.error.code).toBe("unavailable");
    expect((await env.fake.stats(`/tv/${showId}`)).total).toBe(3);
    expect(await seasonDoc(showId, 1)).toBeUndefined();
  });

  it("keeps serving a stale document when its refresh fails, and restores it untouched", async () => {
    const showId = uniqueShowId();
    const stale = {
      episodes: { "1": { episodeId: 9, episodeName: "Kept", episodeAirDate: null } },
      status: "complete",
      lastUpdated: Timestamp.fromMillis(Date.now() - 40 * DAY),
    };
    await seasonRef(env.db, showId, 1).set(stale);
    await env.fake.addFault({ path: `/tv/${showId}`, kind: "503" });
    const result = await env.context({ tmdb: { maxRetries: 1 } }).cache.getSeasonFromCacheOrTMDB(showId, 1);
    expect(result).toEqual({ state: "stale", episodes: stale.episodes, notFound: false });
    expect(await seasonDoc(showId, 1)).toEqual(stale);
  });
});

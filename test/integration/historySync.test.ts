import { Timestamp, type DocumentSnapshot } from "firebase-admin/firestore";
import { lookupRef } from "../../functions/src/cache/lookups";
import { historyCollection } from "../../functions/src/tracking/plays";
import { syncHistory } from "../../functions/src/history/syncHistory";
import { trackingRef } from "../../functions/src/tracking/trackingDoc";
import { fitsDocumentLimit } from "../../functions/src/shared/firestore";
import { episodeIdFor } from "../../tools/fake-tmdb/catalog";
import { startTestEnv, uniqueId, uniqueShowId, type TestEnv } from "../support/admin";

let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(() => env.close());

interface ItemSpec {
  id: number | string;
  show: Record<string, unknown>;
  season: number;
  episode: number;
  watchedAt: string;
}
const traktItem = ({ id, show, season, episode, watchedAt }: ItemSpec) => ({
  id,
  watched_at: watchedAt,
  action: "scrobble",
  type: "episode",
  episode: { season, number: episode, title: null, ids: { trakt: 1, tvdb: null, imdb: null, tmdb: null } },
  show: { title: "Some Show", year: 2015, ids: { trakt: 2, slug: "some-show", tvdb: null, imdb: null, tmdb: null, ...show } },
});
const at = (day: number) => new Date(Date.UTC(2024, 0, 1) + day * 3_600_000).toISOString();

async function snapshotAll(uid: string, showIds: number[]): Promise<Map<string, DocumentSnapshot>> {
  const history = await historyCollection(env.db, uid).get();
  const tracking = await env.db.getAll(...showIds.map((id) => trackingRef(env.db, uid, id)));
  return new Map([...history.docs, ...tracking].map((snap) => [snap.ref.path, snap]));
}

describe("syncHistory", () => {
  it("imports 1,000 items once: a replay is all duplicates and leaves every document untouched", async () => {
    const uid = uniqueId("user");
    const showIds = Array.from({ length: 10 }, () => uniqueShowId());
    await Promise.all(
      showIds.map((id, i) =>
        env.fake.setShow(id, {
          name: `Bulk ${i}`,
          seasons: [
            { episodes: 50, airDate: "2015-01-01" },
            { episodes: 50, airDate: "2016-01-01" },
          ],
        }),
      ),
    );
    const items = showIds.flatMap((showId, s) =>
      Array.from({ length: 100 }, (_, i) =>
        traktItem({
          id: 5_000_000 + s * 100 + i,
          show: { tmdb: showId },
          season: 1 + Math.floor(i / 50),
          episode: 1 + (i % 50),
          watchedAt: at(s * 100 + i),
        }),
      ),
    );
    const ctx = env.context();

    const started = Date.now();
    const first = await syncHistory(ctx, uid, items);
    const wallMs = Date.now() - started;
    expect(first).toEqual({ added: 1000, duplicates: 0, skipped: { movies: 0, noTmdbId: 0, invalid: 0 }, shows: 10 });
    const tmdbRequests = (await Promise.all(showIds.map((id) => env.fake.stats(`/tv/${id}`)))).reduce((sum, s) => sum + s.total, 0);
    // One request per show: its two seasons appended to /tv/{id}.
    expect(tmdbRequests).toBe(10);
    process.stdout.write(`[history] 1,000-item syncHistory: ${wallMs} ms, ${tmdbRequests} TMDB requests\n`);

    const before = await snapshotAll(uid, showIds);
    expect([...before.keys()].filter((path) => path.includes("/history/"))).toHaveLength(1000);
    const tracked = before.get(trackingRef(env.db, uid, showIds[3]).path)?.data();
    expect(Object.keys(tracked?.episodes)).toHaveLength(100);
    expect(tracked?.episodes["2_7"]).toEqual({
      watched: true,
      watchedAt: Timestamp.fromDate(new Date(at(356))),
      plays: 1,
      episodeId: episodeIdFor(showIds[3], 2, 7),
      episodeName: "S2E7 of Bulk 3",
      episodeAirDate: "2016-02-12",
    });
    expect(before.get(historyCollection(env.db, uid).doc("trakt_5000356").path)?.data()).toEqual({
      showId: showIds[3],
      season: 2,
      episode: 7,
      watchedAt: Timestamp.fromDate(new Date(at(356))),
      source: "trakt",
      sourceId: "5000356",
      action: "scrobble",
    });

    const again = await syncHistory(env.context(), uid, items);
    expect(again).toEqual({ added: 0, duplicates: 1000, skipped: { movies: 0, noTmdbId: 0, invalid: 0 }, shows: 10 });
    const after = await snapshotAll(uid, showIds);
    expect(after.size).toBe(before.size);
    for (const [path, snap] of before) {
      expect(after.get(path)?.data()).toEqual(snap.data());
      expect(after.get(path)?.updateTime?.isEqual(snap.updateTime as Timestamp)).toBe(true);
    }
    expect((await Promise.all(showIds.map((id) => env.fake.stats(`/tv/${id}`)))).reduce((sum, s) => sum + s.total, 0)).toBe(10);
  });

  it("keeps a history id above 2^53 exact and refuses one already rounded by a JSON number", async () => {
    const uid = uniqueId("user");
    const showId = uniqueShowId();
    const result = await syncHistory(env.context(), uid, [
      traktItem({ id: "9007199254740993", show: { tmdb: showId }, season: 1, episode: 1, watchedAt: at(1) }),
      traktItem({ id: "18446744073709551615", show: { tmdb: showId }, season: 1, episode: 2, watchedAt: at(2) }),
      traktItem({ id: 2 ** 53 + 2, show: { tmdb: showId }, season: 1, episode: 3, watchedAt: at(3) }),
    ]);
    expect(result).toMatchObject({ added: 2, skipped: { invalid: 1 } });
    const ids = (await historyCollection(env.db, uid).get()).docs.map((d) => [d.id, d.get("sourceId")]);
    expect(ids.sort()).toEqual([
      ["trakt_18446744073709551615", "18446744073709551615"],
      ["trakt_9007199254740993", "9007199254740993"],
    ]);
  });

  it("counts a rewatch as a second play with the latest watchedAt, keeping the entry's other fields", async () => {
    const uid = uniqueId("user");
    const showId = uniqueShowId();
    const old = Timestamp.fromDate(new Date("2020-01-01T00:00:00Z"));
    const enrichment = { episodeId: episodeIdFor(showId, 1, 1), episodeName: `S1E1 of Show ${showId}`, episodeAirDate: "2005-01-01" };
    await env.fake.setShow(showId, { name: `Show ${showId}`, seasons: [{ episodes: 3, airDate: "2005-01-01" }] });
    await trackingRef(env.db, uid, showId).set({
      episodes: { "1_1": { watched: false, watchedAt: old, posterPath: "/p.jpg", ...enrichment } },
    });
    const result = await syncHistory(env.context(), uid, [
      traktItem({ id: 11, show: { tmdb: showId }, season: 1, episode: 1, watchedAt: "2024-05-02T10:00:00.000Z" }),
      traktItem({ id: 10, show: { tmdb: showId }, season: 1, episode: 1, watchedAt: "2024-05-01T10:00:00.000Z" }),
    ]);
    expect(result).toMatchObject({ added: 2, duplicates: 0, shows: 1 });
    const doc = (await trackingRef(env.db, uid, showId).get()).data();
    expect(doc?.episodes["1_1"]).toMatchObject({ watched: true, plays: 2, posterPath: "/p.jpg", ...enrichment });
    expect(doc?.episodes["1_1"].watchedAt.toDate().toISOString()).toBe("2024-05-02T10:00:00.000Z");
    expect(doc?.lastWatchedAt.toDate().toISOString()).toBe("2024-05-02T10:00:00.000Z");

    // An older play arriving later still counts, without moving watchedAt back.
    await syncHistory(env.context(), uid, [
      traktItem({ id: 9, show: { tmdb: showId }, season: 1, episode: 1, watchedAt: "2023-01-01T00:00:00.000Z" }),
    ]);
    const later = (await trackingRef(env.db, uid, showId).get()).data();
    expect(later?.episodes["1_1"].plays).toBe(3);
    expect(later?.episodes["1_1"].watchedAt.toDate().toISOString()).toBe("2024-05-02T10:00:00.000Z");
  });

  it("records movies, counts unresolvable shows and malformed items in a mixed batch, resolving tvdb and imdb ids through a global cache", async () => {
    const [viaTmdb, viaTvdb, viaImdb] = [uniqueShowId(), uniqueShowId(), uniqueShowId()];
    const unknownTvdb = `8${uniqueShowId()}`;
    const items = [
      traktItem({ id: 1, show: { tmdb: viaTmdb }, season: 1, episode: 1, watchedAt: at(1) }),
      traktItem({
        id: 2,
        show: { tvdb: Number(`9${viaTvdb}`), imdb: `tt${String(viaImdb).padStart(7, "0")}` },
        season: 1,
        episode: 1,
        watchedAt: at(2),
      }),
      traktItem({
        id: 3,
        show: { tvdb: unknownTvdb, imdb: `tt${String(viaImdb).padStart(7, "0")}` },
        season: 1,
        episode: 2,
        watchedAt: at(3),
      }),
      traktItem({ id: 4, show: { tvdb: `9${viaTvdb}` }, season: 1, episode: 3, watchedAt: at(4) }),
      traktItem({ id: 5, show: { tvdb: unknownTvdb }, season: 1, episode: 1, watchedAt: at(5) }),
      traktItem({ id: 6, show: {}, season: 1, episode: 1, watchedAt: at(6) }),
      { id: 7, watched_at: at(7), action: "watch", type: "movie", movie: { title: "A Movie", ids: { tmdb: 603 } } },
      { id: 8, watched_at: at(8), action: "watch", type: "movie" },
      { ...traktItem({ id: 9, show: { tmdb: viaTmdb }, season: 1, episode: 1, watchedAt: at(9) }), watched_at: "not a date" },
      traktItem({ id: 10, show: { tmdb: viaTmdb }, season: -1, episode: 1, watchedAt: at(10) }),
      "garbage",
      null,
    ];
    const uid = uniqueId("user");
    const result = await syncHistory(env.context(), uid, items);
    // The movie with a TMDB id is a movie play (docs/API.md: library callables); the one without a movie cannot be identified.
    expect(result).toEqual({ added: 5, duplicates: 0, skipped: { movies: 0, noTmdbId: 3, invalid: 4 }, shows: 3 });
    const history = (await historyCollection(env.db, uid).get()).docs.map((d) => [d.id, d.get("showId") ?? `movie ${d.get("movieId")}`]);
    expect(history.sort()).toEqual([
      ["trakt_1", viaTmdb],
      ["trakt_2", viaTvdb],
      ["trakt_3", viaImdb],
      ["trakt_4", viaTvdb],
      ["trakt_7", "movie 603"],
    ]);
    // tvdb first: item 2 carries both ids and resolves by tvdb without asking /find for its imdb id.
    const findRequests = await env.fake.requests("/find/");
    const asked = (id: string) => findRequests.filter((r) => r.path === `/find/${id}`).length;
    expect([asked(`9${viaTvdb}`), asked(unknownTvdb), asked(`tt${String(viaImdb).padStart(7, "0")}`)]).toEqual([1, 1, 1]);
    expect((await lookupRef(env.db, "find", `tvdb_9${viaTvdb}`).get()).data()).toMatchObject({ showId: viaTvdb, status: "complete" });
    expect((await lookupRef(env.db, "find", `tvdb_${unknownTvdb}`).get()).data()).toMatchObject({ showId: null, status: "complete" });

    // A second user importing the same shows costs no /find call.
    const findsBefore = (await env.fake.stats("/find/")).total;
    const other = await syncHistory(env.context(), uniqueId("user"), items);
    expect(other).toEqual(result);
    expect((await env.fake.stats("/find/")).total).toBe(findsBefore);
  });

  it("records each play once when ten overlapping syncs of one show run at once", async () => {
    const uid = uniqueId("user");
    const showId = uniqueShowId();
    // 40 plays of 20 episodes (each watched twice); call i sends a window of 12 of them.
    const pool = Array.from({ length: 40 }, (_, i) =>
      traktItem({ id: 700 + i, show: { tmdb: showId }, season: 1, episode: 1 + (i % 20), watchedAt: at(i) }),
    );
    const calls = Array.from({ length: 10 }, (_, c) => Array.from({ length: 12 }, (_, k) => pool[(c * 4 + k) % 40]));
    const results = await Promise.all(calls.map((items) => syncHistory(env.context(), uid, items)));
    expect(results.reduce((sum, r) => sum + r.added, 0)).toBe(40);
    expect(results.reduce((sum, r) => sum + r.added + r.duplicates, 0)).toBe(120);
    expect((await historyCollection(env.db, uid).get()).size).toBe(40);
    const episodes = (await trackingRef(env.db, uid, showId).get()).data()?.episodes;
    for (let e = 1; e <= 20; e++) {
      expect(episodes[`1_${e}`]).toMatchObject({ watched: true, plays: 2 });
      expect(episodes[`1_${e}`].watchedAt.toDate().toISOString()).toBe(at(e + 19));
    }
  });

  it("records the plays when TMDB is down during enrichment", async () => {
    const uid = uniqueId("user");
    const showId = uniqueShowId();
    await env.fake.addFault({ path: `/tv/${showId}`, kind: "503" });
    const result = await syncHistory(env.context(), uid, [
      traktItem({ id: 1, show: { tmdb: showId }, season: 1, episode: 1, watchedAt: at(1) }),
    ]);
    expect(result).toMatchObject({ added: 1, shows: 1 });
    expect((await trackingRef(env.db, uid, showId).get()).data()?.episodes["1_1"]).toEqual({
      watched: true,
      watchedAt: Timestamp.fromDate(new Date(at(1))),
      plays: 1,
    });
    expect((await env.fake.stats(`/tv/${showId}`)).total).toBeGreaterThan(0);
  });

  it("refuses a sync that would push a tracking document past 1 MiB and writes nothing, for any show", async () => {
    const uid = uniqueId("user");
    const [small, full] = [uniqueShowId(), uniqueShowId()];
    const ref = trackingRef(env.db, uid, full);
    const watchedAt = Timestamp.now();
    const episodes: Record<string, object> = {};
    for (let e = 1; e <= 1000; e++) episodes[`1_${e}`] = { watched: true, watchedAt, posterPath: "x".repeat(1000) };
    // Just under the limit: 300 new entries would tip it over.
    for (
      let e = 1;
      fitsDocumentLimit(ref.path, { episodes: { ...episodes, [`2_${e}`]: { watched: true, watchedAt, posterPath: "x".repeat(40) } } });
      e++
    ) {
      episodes[`2_${e}`] = { watched: true, watchedAt, posterPath: "x".repeat(40) };
    }
    await ref.set({ episodes });
    const before = await ref.get();
    const items = [
      traktItem({ id: 1, show: { tmdb: small }, season: 1, episode: 1, watchedAt: at(1) }),
      ...Array.from({ length: 300 }, (_, i) =>
        traktItem({ id: 100 + i, show: { tmdb: full }, season: 3, episode: i + 1, watchedAt: at(i) }),
      ),
    ];
    await expect(syncHistory(env.context(), uid, items)).rejects.toMatchObject({ code: "failed-precondition" });
    expect((await historyCollection(env.db, uid).get()).size).toBe(0);
    expect((await trackingRef(env.db, uid, small).get()).exists).toBe(false);
    expect((await ref.get()).updateTime?.isEqual(before.updateTime as Timestamp)).toBe(true);
  });
});

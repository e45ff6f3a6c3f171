import { Timestamp, type Firestore } from "firebase-admin/firestore";
import { episodePlay, historyCollection, historyDocOf } from "../../functions/src/tracking/plays";
import { MAX_RECENT_PLAYS } from "../../functions/src/tracking/recentPlays";
import { recordPlayInTransaction, recordPlays } from "../../functions/src/tracking/repository";
import { trackingRef, type TrackingDoc } from "../../functions/src/tracking/trackingDoc";
import { startTestEnv, uniqueId, uniqueShowId, type TestEnv } from "../support/admin";

/**
 * The same-viewing rule judged from the tracking document (its `recentPlays` records), not from a query
 * over the user's history (issue 22): a chunk's cost follows the chunk. Episodes written before the
 * records existed, and episodes with more plays than a record keeps, still get every rule of CONTRACT §1.
 */
let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(() => env.close());

const T0 = new Date("2025-06-01T20:00:00.000Z");
const minutes = (m: number) => new Date(T0.getTime() + m * 60_000);

/** Counts the history queries (`runQuery` RPCs) a Firestore instance sends while `work` runs. */
async function queriesDuring<T>(db: Firestore, work: () => Promise<T>): Promise<{ value: T; queries: number }> {
  const funnel = db as unknown as { requestStream: (method: string, ...rest: unknown[]) => Promise<unknown> };
  const original = funnel.requestStream;
  let queries = 0;
  funnel.requestStream = function (this: unknown, method: string, ...rest: unknown[]) {
    if (method === "runQuery") queries++;
    return original.call(this, method, ...rest);
  };
  try {
    return { value: await work(), queries };
  } finally {
    funnel.requestStream = original;
  }
}

const tracking = async (uid: string, showId: number) => (await trackingRef(env.db, uid, showId).get()).data() as TrackingDoc;

describe("same-viewing records on the tracking document", () => {
  it("decide a chunk of plays without querying the history, with every rule of §1", async () => {
    const uid = uniqueId("user");
    const showId = uniqueShowId();
    const first = Array.from({ length: 40 }, (_, i) =>
      episodePlay({
        showId,
        season: 1 + Math.floor(i / 20),
        episode: 1 + (i % 20),
        watchedAt: minutes(i * 60),
        source: "tvtime",
        sourceId: `a${i}`,
      }),
    );
    expect(await recordPlays(env.db, uid, first)).toEqual({ added: 40, duplicates: 0 });

    const second = [
      // The same viewings in a Trakt export, 4 minutes off: duplicates.
      ...first
        .slice(0, 10)
        .map((p, i) =>
          episodePlay({ showId, season: p.season, episode: p.episode, watchedAt: minutes(i * 60 + 4), source: "trakt", sourceId: `t${i}` }),
        ),
      // TV Time's own other plays of those episodes, minutes apart: its distinct record, kept.
      ...first.slice(10, 15).map((p, i) =>
        episodePlay({
          showId,
          season: p.season,
          episode: p.episode,
          watchedAt: minutes((10 + i) * 60 + 2),
          source: "tvtime",
          sourceId: `b${i}`,
        }),
      ),
      // A rewatch a day later.
      episodePlay({ showId, season: 1, episode: 1, watchedAt: minutes(24 * 60), source: "trakt", sourceId: "later" }),
      // Replays.
      ...first.slice(20, 25),
    ];
    const { value, queries } = await queriesDuring(env.db, () => recordPlays(env.db, uid, second));
    expect(value).toEqual({ added: 6, duplicates: 15 });
    expect(queries).toBe(0);

    const doc = await tracking(uid, showId);
    expect(doc.episodes?.["1_1"]).toMatchObject({ plays: 2, watchedAt: Timestamp.fromDate(minutes(24 * 60)) });
    expect(doc.episodes?.["1_11"]).toMatchObject({ plays: 2 });
    expect(doc.recentPlays?.["1_1"]?.map((p) => p.source)).toEqual(["tvtime", "trakt"]);

    // A live report of one of those viewings, in a transaction: the same viewing, still without a query.
    const scrobble = episodePlay({ showId, season: 1, episode: 3, watchedAt: minutes(2 * 60 + 6), source: "scrobble" });
    const inTx = await queriesDuring(env.db, () =>
      env.db.runTransaction((tx) => recordPlayInTransaction(tx, env.db, uid, scrobble, { now: minutes(200) })),
    );
    expect(inTx).toEqual({ value: { recorded: false }, queries: 0 });
  });

  it("are read from the history once for an episode written before they existed, then kept", async () => {
    const uid = uniqueId("user");
    const showId = uniqueShowId();
    // A document and a play as an earlier version wrote them: no records.
    const old = episodePlay({ showId, season: 1, episode: 1, watchedAt: T0, source: "app" });
    await historyCollection(env.db, uid).doc(old.historyId).set(historyDocOf(old));
    await trackingRef(env.db, uid, showId).set({
      showId,
      episodes: {
        "1_1": { watched: true, watchedAt: Timestamp.fromDate(T0), plays: 1 },
        "1_2": { watched: true, watchedAt: Timestamp.fromDate(T0) },
      },
    });

    const player = episodePlay({ showId, season: 1, episode: 1, watchedAt: minutes(5), source: "playback" });
    const first = await queriesDuring(env.db, () => recordPlays(env.db, uid, [player]));
    expect(first.value).toEqual({ added: 0, duplicates: 1 });
    expect(first.queries).toBeGreaterThan(0);
    const doc = await tracking(uid, showId);
    expect(doc.recentPlays?.["1_1"]).toEqual([{ at: Timestamp.fromDate(T0), source: "app" }]);
    expect(doc.recentPlays?.["1_2"]).toEqual([]);
    expect(doc.episodes?.["1_1"]).toEqual({ watched: true, watchedAt: Timestamp.fromDate(T0), plays: 1 });

    const again = await queriesDuring(env.db, () =>
      recordPlays(env.db, uid, [
        episodePlay({ showId, season: 1, episode: 1, watchedAt: minutes(8), source: "jellyfin" }),
        episodePlay({ showId, season: 1, episode: 2, watchedAt: minutes(8), source: "jellyfin" }),
      ]),
    );
    expect(again).toEqual({ value: { added: 1, duplicates: 1 }, queries: 0 });
  });

  it("keep a bounded number of plays an episode, and an older play is still judged against every stored play", async () => {
    const uid = uniqueId("user");
    const showId = uniqueShowId();
    const day = 24 * 60;
    const plays = Array.from({ length: MAX_RECENT_PLAYS + 4 }, (_, i) =>
      episodePlay({ showId, season: 1, episode: 1, watchedAt: minutes(i * day), source: "app" }),
    );
    for (const play of plays) expect(await recordPlays(env.db, uid, [play])).toEqual({ added: 1, duplicates: 0 });
    const doc = await tracking(uid, showId);
    expect(doc.recentPlays?.["1_1"]).toHaveLength(MAX_RECENT_PLAYS);
    expect(doc.recentPlaysPartial?.["1_1"]).toBe(true);
    expect(doc.episodes?.["1_1"]?.plays).toBe(MAX_RECENT_PLAYS + 4);

    // The first viewing (no longer in the record) reported again by Trakt: the same viewing.
    const oldReport = episodePlay({ showId, season: 1, episode: 1, watchedAt: minutes(3), source: "trakt", sourceId: "old" });
    // A report near the latest: decided from the record alone.
    const recentReport = episodePlay({
      showId,
      season: 1,
      episode: 1,
      watchedAt: minutes((MAX_RECENT_PLAYS + 3) * day + 2),
      source: "plex",
    });
    expect(await recordPlays(env.db, uid, [oldReport])).toEqual({ added: 0, duplicates: 1 });
    expect(await queriesDuring(env.db, () => recordPlays(env.db, uid, [recentReport]))).toEqual({
      value: { added: 0, duplicates: 1 },
      queries: 0,
    });
    const rewatch = episodePlay({ showId, season: 1, episode: 1, watchedAt: minutes(60), source: "trakt", sourceId: "rewatch" });
    expect(await recordPlays(env.db, uid, [rewatch])).toEqual({ added: 1, duplicates: 0 });
  });
});

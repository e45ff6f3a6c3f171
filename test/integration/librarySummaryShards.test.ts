import { Timestamp } from "firebase-admin/firestore";
import { countFirestore } from "../../bench/firestoreCounter";
import { followedShows } from "../../functions/src/library/calendar";
import { setShowStatus } from "../../functions/src/library/showStatus";
import { markWatched } from "../../functions/src/history/markWatched";
import { getLibrary, getLibraryFull } from "../../functions/src/progress/getLibrary";
import {
  librarySummaryRef,
  librarySummaryShardRef,
  readLibrarySummary,
  shardOf,
  writeBackEntries,
  type LibraryEntry,
  type LibrarySummaryDoc,
  type LibrarySummaryShardDoc,
} from "../../functions/src/progress/librarySummary";
import { MAX_DOCUMENT_BYTES, storageSize } from "../../functions/src/shared/firestore";
import { trackingRef } from "../../functions/src/tracking/trackingDoc";
import { startTestEnv, uniqueId, type TestEnv } from "../support/admin";

/**
 * Issue 22: a library whose summary passes 1 MiB (about 500 bytes a show) is sharded, and still opens in a
 * constant number of document reads, counted at the Firestore client's RPC boundary (bench/firestoreCounter.ts).
 */
/** A 3,000-show library's views and full recomputations take tens of seconds on a shared emulator. */
const LARGE_LIBRARY_MS = 300_000;

let env: TestEnv;
let counter: ReturnType<typeof countFirestore>;
beforeAll(async () => {
  env = await startTestEnv();
  counter = countFirestore(env.db);
});
afterAll(() => env.close());

/** The fake's generated shows with 4 seasons (`1 + id % 4`), so every entry lists 4 seasons. */
const SHOWS = 3_000;
const FIRST_ID = 6_100_003;
const showIds = Array.from({ length: SHOWS }, (_, i) => FIRST_ID + i * 4).filter((id) => id % 1000 !== 404);

/** `getLibrary` reads the profile's language preferences once per view (CONTRACT §11). */
const PREFERENCES = 1;

async function reads<T>(work: () => Promise<T>): Promise<{ value: T; reads: number }> {
  const before = counter.counts().reads;
  const value = await work();
  return { value, reads: counter.counts().reads - before };
}

async function summaryDocs(uid: string) {
  const index = (await librarySummaryRef(env.db, uid).get()).data() as LibrarySummaryDoc;
  const shards = await Promise.all(
    Array.from(
      { length: index.shards ?? 0 },
      async (_, k) => (await librarySummaryShardRef(env.db, uid, k + 1).get()).data() as LibrarySummaryShardDoc,
    ),
  );
  return { index, shards };
}

describe("a library summary past 1 MiB", () => {
  const uid = uniqueId("user");
  const now = new Date();
  const ctx = () => env.context({ clock: () => now });

  beforeAll(async () => {
    // Tracking documents written before the summary existed: the first view lists them and builds it.
    const writer = env.db.bulkWriter();
    showIds.forEach((showId, i) => {
      const lastWatchedAt = Timestamp.fromMillis(Date.parse("2024-01-01T00:00:00Z") + i * 60_000);
      void writer.set(trackingRef(env.db, uid, showId), {
        showId,
        episodes: { "1_1": { watched: true, watchedAt: lastWatchedAt } },
        lastWatchedAt,
      });
    });
    await writer.close();
    await getLibraryFull(ctx(), uid); // warms the cache through the fake TMDB
  }, 600_000);

  it(
    "is sharded, each document under the limit, and a warm view reads the index and its shards only",
    async () => {
      const built = await getLibrary(ctx(), uid);
      expect(built.shows).toHaveLength(showIds.length);
      const { index, shards } = await summaryDocs(uid);
      const sizes = [index, ...shards].map((doc) => storageSize(doc));
      // Unsharded, this library would not fit one document: the view would fall back to recomputing every show.
      expect(sizes.reduce((a, b) => a + b, 0)).toBeGreaterThan(MAX_DOCUMENT_BYTES);
      for (const size of sizes) expect(size).toBeLessThan(MAX_DOCUMENT_BYTES);
      expect(index.complete).toBe(true);
      expect(index.shards).toBeGreaterThanOrEqual(2);
      expect(Object.keys(index.shows ?? {})).toHaveLength(showIds.length);
      // Every show's progress is in its shard, none in the index.
      for (const showId of showIds) {
        expect(index.shows?.[String(showId)]?.progress).toBeUndefined();
        expect(shards[shardOf(showId, shards.length) - 1].shows?.[String(showId)]?.progress.showId).toBe(showId);
      }

      const warm = await reads(() => getLibrary(ctx(), uid));
      // The index, its shards, and the profile's language preferences (names are localised on the way out).
      expect(warm.reads).toBe(PREFERENCES + 1 + shards.length);
      expect(warm.reads).toBeLessThanOrEqual(5);
      expect(warm.value).toEqual(built);
      expect(warm.value).toEqual(await getLibraryFull(ctx(), uid));
    },
    LARGE_LIBRARY_MS,
  );

  it(
    "recomputes only the shows tracking writes marked, in their shards, and stays equal to the full recomputation",
    async () => {
      const { index } = await summaryDocs(uid);
      const shards = index.shards ?? 0;
      const marked = [showIds[0], showIds[1], showIds[2]];
      expect(new Set(marked.map((showId) => shardOf(showId, shards))).size).toBeGreaterThan(1);
      const context = ctx();
      await markWatched(context, uid, { showId: marked[0], target: { type: "episodes", episodes: [{ season: 2, episode: 1 }] } });
      await markWatched(context, uid, {
        showId: marked[1],
        target: { type: "episodes", episodes: [{ season: 1, episode: 1 }] },
        watched: false,
      });
      await setShowStatus(context, uid, { showId: marked[2], status: "paused" });

      // The calendar's followed shows: the index alone (the heads carry the status), and the marked shows' status.
      const followed = await reads(() => followedShows(env.db, uid));
      expect(followed.reads).toBe(1 + marked.length);
      expect(followed.value).toEqual(showIds.filter((showId) => showId !== marked[2]));

      const view = await reads(() => getLibrary(ctx(), uid, { includeHidden: true }));
      // Preferences, index + shards, the 3 marked tracking documents, and their cache documents (show and 4 seasons each).
      expect(view.reads).toBeLessThanOrEqual(PREFERENCES + 1 + shards + marked.length * 6);
      expect(view.value).toEqual(await getLibraryFull(ctx(), uid, { includeHidden: true }));
      const again = await reads(() => getLibrary(ctx(), uid, { includeHidden: true }));
      expect(again.reads).toBe(PREFERENCES + 1 + shards);
      expect(again.value).toEqual(view.value);
      const paused = again.value.shows.find((show) => show.showId === marked[2]);
      expect(paused?.status).toBe("paused");
    },
    LARGE_LIBRARY_MS,
  );

  it(
    "writes nothing back when a tracking write lands between the read and the write-back",
    async () => {
      const read = await readLibrarySummary(env.db, uid);
      const showId = showIds[10];
      const entry = read.stored[String(showId)];
      await markWatched(ctx(), uid, { showId, target: { type: "episodes", episodes: [{ season: 3, episode: 1 }] } });
      const stale = new Map([[showId, { ...entry, staleAt: Number.MAX_SAFE_INTEGER } as LibraryEntry]]);
      expect(await writeBackEntries(env.db, uid, read, stale, [])).toBe(false);
      const { index } = await summaryDocs(uid);
      expect(index.shows?.[String(showId)]?.staleAt).toBe(0);
      expect(await getLibrary(ctx(), uid)).toEqual(await getLibraryFull(ctx(), uid));
    },
    LARGE_LIBRARY_MS,
  );
});

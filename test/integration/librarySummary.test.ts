import fc from "fast-check";
import { markWatched } from "../../functions/src/history/markWatched";
import { resetProgress } from "../../functions/src/library/resetProgress";
import { setShowStatus } from "../../functions/src/library/showStatus";
import { getLibrary, getLibraryFull } from "../../functions/src/progress/getLibrary";
import { librarySummaryRef, type LibrarySummaryDoc, type SummaryBudgets } from "../../functions/src/progress/librarySummary";
import { episodePlay } from "../../functions/src/tracking/plays";
import { recordPlays } from "../../functions/src/tracking/repository";
import { addDays } from "../../tools/fake-tmdb/catalog";
import { startTestEnv, uniqueId, uniqueShowId, type TestEnv } from "../support/admin";

let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(() => env.close());

const START = "2025-06-01";
/** Three shows: ended, one with episodes airing over the next days (by the test's clock), one with specials. */
const SHOWS = [
  {
    name: "Ended",
    seasons: [
      { episodes: 3, airDate: "2020-01-01" },
      { episodes: 2, airDate: "2021-01-01" },
    ],
  },
  {
    name: "Airing",
    seasons: [
      { episodes: 2, airDate: "2024-01-01" },
      { episodes: 3, airDates: [addDays(START, -1), addDays(START, 1), addDays(START, 3)] },
    ],
  },
  { name: "Specials", seasons: [{ episodes: 4, airDate: "2019-01-01" }], specials: { episodes: 1, airDate: "2019-06-01" } },
];
const showIds: number[] = [];
beforeAll(async () => {
  for (const show of SHOWS) {
    const showId = uniqueShowId();
    await env.fake.setShow(showId, show);
    showIds.push(showId);
  }
});

type Op =
  | { kind: "mark" | "unmark" | "play"; show: number; season: number; episode: number }
  | { kind: "status"; show: number; status: "watching" | "paused" | "dropped" | "planned" }
  | { kind: "reset"; show: number; undo: boolean }
  | { kind: "advance"; minutes: number }
  | { kind: "view"; includeHidden: boolean };

const show = fc.integer({ min: 0, max: SHOWS.length - 1 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constantFrom("mark" as const, "unmark" as const, "play" as const),
    show,
    season: fc.integer({ min: 0, max: 2 }),
    episode: fc.integer({ min: 1, max: 3 }),
  }),
  fc.record({
    kind: fc.constant("status" as const),
    show,
    status: fc.constantFrom("watching" as const, "paused" as const, "dropped" as const, "planned" as const),
  }),
  fc.record({ kind: fc.constant("reset" as const), show, undo: fc.boolean() }),
  // Minutes to days: plays stay apart or fall in one viewing, episodes air, entries go stale.
  fc.record({ kind: fc.constant("advance" as const), minutes: fc.constantFrom(1, 15, 600, 1440, 2 * 1440) }),
  fc.record({ kind: fc.constant("view" as const), includeHidden: fc.boolean() }),
);

describe("getLibrary from the library summary", () => {
  /** Runs random operations, comparing `getLibrary` with the full recomputation at every view; returns the shard counts seen. */
  const equalsFullRecomputation = async (summaryBudgets?: SummaryBudgets) => {
    const shardCounts = new Set<number>();
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 12 }), async (ops) => {
        const uid = uniqueId("user");
        let now = Date.parse(`${START}T12:00:00Z`);
        const ctx = { ...env.context({ clock: () => new Date(now) }), summaryBudgets };
        const same = async (includeHidden: boolean) => {
          expect(await getLibrary(ctx, uid, { includeHidden })).toEqual(await getLibraryFull(ctx, uid, { includeHidden }));
          shardCounts.add(((await librarySummaryRef(env.db, uid).get()).data() as LibrarySummaryDoc | undefined)?.shards ?? 0);
        };
        for (const op of ops) {
          if (op.kind === "advance") now += op.minutes * 60_000;
          else if (op.kind === "view") await same(op.includeHidden);
          else if (op.kind === "status") await setShowStatus(ctx, uid, { showId: showIds[op.show], status: op.status });
          else if (op.kind === "reset") await resetProgress(ctx, uid, { showId: showIds[op.show], undo: op.undo });
          else if (op.kind === "play") {
            const play = episodePlay({
              showId: showIds[op.show],
              season: op.season,
              episode: op.episode,
              watchedAt: new Date(now),
              source: "playback",
            });
            await recordPlays(ctx.db, uid, [play], { clock: ctx.clock });
          } else {
            const target = { type: "episodes" as const, episodes: [{ season: op.season, episode: op.episode }] };
            await markWatched(ctx, uid, { showId: showIds[op.show], target, watched: op.kind === "mark" }).catch(
              (error: { code?: string }) => {
                // An episode TMDB does not have is refused; the library is unchanged by it.
                if (error.code !== "not-found") throw error;
              },
            );
          }
        }
        await same(false);
        await same(true);
      }),
      { numRuns: 25 },
    );
    return shardCounts;
  };

  it("equals the full recomputation after any sequence of marks, un-marks, plays, status changes, resets and days passing", async () => {
    expect(await equalsFullRecomputation()).toEqual(new Set([0]));
  });

  it("stays equal to it when the summary is sharded (budgets of a few shows: entries move between the index and shards)", async () => {
    // One show's entry is about 450 bytes: the index holds one whole, a shard one.
    const shardCounts = await equalsFullRecomputation({ indexBytes: 700, shardBytes: 700, shardLimitBytes: 1_000 });
    expect(shardCounts.has(0)).toBe(true);
    expect([...shardCounts].some((n) => n > 1)).toBe(true);
  });

  it("serves a warm library from the summary: entries for every show, fresh until the next air date", async () => {
    const uid = uniqueId("user");
    const ctx = env.context({ clock: () => new Date(`${START}T12:00:00Z`) });
    for (const showId of showIds)
      await markWatched(ctx, uid, { showId, target: { type: "episodes", episodes: [{ season: 1, episode: 1 }] } });
    // Every write marked its entry stale; the first view computes and stores them.
    const stale = (await librarySummaryRef(env.db, uid).get()).data() as LibrarySummaryDoc;
    expect(Object.values(stale.shows ?? {}).map((e) => e.staleAt)).toEqual([0, 0, 0]);
    const first = await getLibrary(ctx, uid);
    const stored = (await librarySummaryRef(env.db, uid).get()).data() as LibrarySummaryDoc;
    expect(Object.keys(stored.shows ?? {}).sort()).toEqual(showIds.map(String).sort());
    // The airing show goes stale when its next episode airs (tomorrow, UTC midnight).
    expect(stored.shows?.[String(showIds[1])]?.staleAt).toBe(Date.parse(`${addDays(START, 1)}T00:00:00Z`));
    expect(stored.shows?.[String(showIds[0])]?.staleAt).toBeGreaterThan(Date.parse(`${addDays(START, 1)}T00:00:00Z`));
    expect(await getLibrary(ctx, uid)).toEqual(first);
    expect(first).toEqual(await getLibraryFull(ctx, uid));
  });

  it("rebuilds from the tracking documents when the summary is missing or does not match them", async () => {
    const uid = uniqueId("user");
    const ctx = env.context({ clock: () => new Date(`${START}T12:00:00Z`) });
    for (const showId of showIds)
      await markWatched(ctx, uid, { showId, target: { type: "episodes", episodes: [{ season: 1, episode: 2 }] } });
    await getLibrary(ctx, uid);
    await librarySummaryRef(env.db, uid).delete();
    expect(await getLibrary(ctx, uid)).toEqual(await getLibraryFull(ctx, uid));
    expect(Object.keys(((await librarySummaryRef(env.db, uid).get()).data() as LibrarySummaryDoc).shows ?? {})).toHaveLength(3);
  });
});

import { deleteApp, initializeApp, type App } from "firebase-admin/app";
import { getFirestore, Timestamp, type DocumentData, type Firestore } from "firebase-admin/firestore";
import { createAppContext } from "../../functions/src/shared/app";
import type { SeasonEpisodes } from "../../functions/src/cache/documents";
import { DEFAULT_CONFIG } from "../../functions/src/shared/config";
import { addDays, utcDate } from "../../functions/src/shared/dates";
import { inboxCollection } from "../../functions/src/nightly/alerts";
import { nightlyDeps } from "../../functions/src/nightly/deps";
import { runNightly } from "../../functions/src/nightly/planner";
import { cloudTasksQueue, NIGHTLY_TASK_FUNCTION, type NightlyQueue } from "../../functions/src/nightly/queue";
import { nightlyStateRef, parseState, parseWork, workRef, WORK_COLLECTION, type RunState } from "../../functions/src/nightly/state";
import { taskId, type NightlyTask, type RefreshTask, type UsersTask } from "../../functions/src/nightly/taskPayloads";
import { TmdbClient } from "../../functions/src/tmdb/client";
import { trackingRef } from "../../functions/src/tracking/trackingDoc";
import type { ShowSpec } from "../../tools/fake-tmdb/catalog";
import { projectId, TEST_TMDB_OPTIONS, uniqueId, uniqueShowId } from "../support/admin";
import { sharedFakeTmdb } from "../support/client";
import { waitForDoc } from "../support/firestoreWait";
import { takeNightlyTurn } from "../support/nightlyStateLock";
import { holdSeasonFetch, type SeasonHolder } from "../support/seasonHolder";
import { deliverTask } from "../support/taskDispatch";
import { killFunctionWorkers } from "../support/workers";

/**
 * Chaos for the nightly job (issue 17): the worker of `nightlyReenrichTasks` is SIGKILLed in the middle
 * of a refresh task (after it committed the refresh, before it alerted and queued the users pass) and in
 * the middle of a users page (some documents rewritten, the page not committed); each task is retried.
 * The run must end as an uninterrupted one would: every document enriched, every season fetched once,
 * every alert created once, the run finished with nothing counted twice.
 *
 * Deterministic and cheap, with production semantics:
 * - Where it dies: another request (a user's, on another instance) is fetching a season the task needs
 *   (`holdSeasonFetch`), so the task waits for that lock by listening, at a known point, holding no cache
 *   lock of its own: the kill leaves no lock to run out its 60 s lease.
 * - The retry: Cloud Tasks redelivers the same payload after the queue's backoff (minBackoffSeconds 30);
 *   the test delivers that same payload to the function itself (`deliverTask`) instead of waiting, twice
 *   at once (delivery is at-least-once), so concurrent duplicates are covered too. The queue's own
 *   redelivery still comes 30 s later, as one more duplicate (a no-op on a finished run).
 */
const fakeUrl = process.env.FAKE_TMDB_URL;
const fake = sharedFakeTmdb();
const watchedAt = Timestamp.fromMillis(Date.parse("2024-03-01T20:00:00Z"));

let app: App;
let db: Firestore;
let releaseTurn: (() => Promise<void>) | undefined;
beforeAll(async () => {
  app = initializeApp({ projectId: projectId() }, uniqueId("nightly-chaos"));
  db = getFirestore(app);
  releaseTurn = await takeNightlyTurn(db);
  // A clean slate for tonight's run on the deployed state document; no backfill over other files' documents.
  await db.recursiveDelete(nightlyStateRef(db).collection(WORK_COLLECTION));
  await nightlyStateRef(db).set({
    lastWindowEnd: utcDate(new Date()),
    backfill: { done: true, cursor: null, scanned: 0, updated: 0, completedAt: null },
    run: null,
  });
});
afterAll(async () => {
  await fake.setChanges([]);
  await releaseTurn?.();
  await deleteApp(app);
});

/** Seasons 1–2 long aired; v2 renames season 2 and adds season 3, whose 2nd episode aired yesterday (an alert). */
function showSpec(showId: number, version: 1 | 2): ShowSpec {
  const today = utcDate(new Date());
  return {
    name: `Nightly Chaos ${showId}`,
    seasons: [
      { episodes: 3, airDate: "2015-01-01" },
      { episodes: 3, airDate: "2016-01-01", names: version === 2 ? ["Renamed S2E1", "Renamed S2E2", "Renamed S2E3"] : undefined },
      ...(version === 2 ? [{ episodes: 2, airDate: addDays(today, -8) }] : []),
    ],
    specials: { episodes: 2 },
  };
}

/** The retry of a task whose worker died, delivered twice at once as Cloud Tasks may (at-least-once). */
const redeliver = (task: NightlyTask) =>
  Promise.all([1, 2].map(() => deliverTask(NIGHTLY_TASK_FUNCTION, task, { taskName: taskId(task), retryCount: 1 })));

const episodesOf = (doc: DocumentData | undefined) => (doc?.episodes ?? {}) as Record<string, { episodeName?: string; watched?: boolean }>;

describe("nightly chaos", () => {
  it("a nightlyReenrichTasks worker killed mid-refresh and mid-users-page: the retried tasks end as an uninterrupted run", async () => {
    const showId = uniqueShowId();
    const ctx = createAppContext({
      db,
      tmdb: new TmdbClient({ baseUrl: fakeUrl as string, credential: "fake-tmdb-key", ...TEST_TMDB_OPTIONS }),
      config: DEFAULT_CONFIG,
    });

    // Yesterday's world: seasons 1–2 cached; followers whose documents an app wrote from that cache.
    await fake.setShow(showId, showSpec(showId, 1));
    const loaded = await ctx.cache.load(showId, [1, 2], { includeShow: true });
    const cached = (season: number) => (loaded.seasons.get(season) as { episodes: SeasonEpisodes }).episodes;
    const enriched = (season: number, episode: number) => ({ watched: true, watchedAt, ...cached(season)[String(episode)] });
    // Four followers watched seasons 1–2 and the new season's first episode (not enriched yet: season 3 is not cached).
    const followers = Array.from({ length: 4 }, () => uniqueId("follower"));
    // One also watched a special, which nobody has cached: its document is the one the users page waits on.
    const specialsFan = uniqueId("specials");
    for (const uid of followers) {
      await trackingRef(db, uid, showId).set({
        showId,
        episodes: { "1_1": enriched(1, 1), "2_1": enriched(2, 1), "2_2": enriched(2, 2), "3_1": { watched: true, watchedAt } },
      });
    }
    await trackingRef(db, specialsFan, showId).set({ showId, episodes: { "2_1": enriched(2, 1), "0_1": { watched: true, watchedAt } } });
    const everyone = [...followers, specialsFan];

    // Tonight TMDB reports the show changed: season 2 renamed, season 3 started.
    await fake.setShow(showId, showSpec(showId, 2));
    await fake.setChanges([showId]);

    // Users requesting the new season and a special right as the planner queues the refresh (after it
    // planned the show: seasons 1–2 are what it refreshes): their fetches are held at TMDB until the test
    // lets them through.
    const holders: Record<"season3" | "specials", SeasonHolder | undefined> = { season3: undefined, specials: undefined };
    const queued: NightlyTask[] = [];
    const cloud = cloudTasksQueue(app);
    const queue: NightlyQueue = {
      async enqueue(task, options) {
        holders.season3 = holdSeasonFetch(db, fakeUrl as string, showId, 3);
        holders.specials = holdSeasonFetch(db, fakeUrl as string, showId, 0);
        await Promise.all([holders.season3.fetching, holders.specials.fetching]);
        queued.push(task);
        return cloud.enqueue(task, options);
      },
    };

    const work = workRef(nightlyStateRef(db), showId);
    const refreshed = await waitForDoc(work, (d) => d?.refreshed === true);
    // The scheduled planner (in-process here: the emulator runs no schedules) plans the show and queues
    // its refresh on the Cloud Tasks emulator, which delivers it to the emulated worker.
    const summary = await runNightly(nightlyDeps(ctx, queue));
    expect(queued).toEqual([{ kind: "refresh", runId: summary.runId, gen: 1, showIds: [showId] }]);
    const refresh = queued[0] as RefreshTask;
    const { season3, specials } = holders as Record<keyof typeof holders, SeasonHolder>;

    // 1. The refresh fetched and committed seasons 1–2; it now announces the aired episodes and needs season
    // 3 for that, which the user's request holds: kill it there.
    await refreshed.reached;
    expect(killFunctionWorkers(NIGHTLY_TASK_FUNCTION)).toBeGreaterThanOrEqual(1);
    expect(parseWork(await work.get())).toMatchObject({ refreshed: true, cursor: null, done: false });
    for (const uid of everyone) expect((await inboxCollection(db, uid).get()).size).toBe(0);

    // The user's fetch completes; the refresh task is delivered again as Cloud Tasks retries it, and twice at
    // once (its delivery is at-least-once): both attempts announce, each announcement must exist once.
    await season3.release();
    const rewritten = await Promise.all(
      followers.map((uid) =>
        waitForDoc(trackingRef(db, uid, showId), (d) => {
          const episodes = episodesOf(d);
          return episodes["2_2"]?.episodeName === "Renamed S2E2" && typeof episodes["3_1"]?.episodeName === "string";
        }),
      ),
    );
    await redeliver(refresh);

    // 2. The retried refresh alerted and queued the users pass, which rewrote the four followers' documents
    // and waits on the specials the other user's request holds: the page is not committed. Kill it there.
    await Promise.all(rewritten.map((w) => w.reached));
    expect(killFunctionWorkers(NIGHTLY_TASK_FUNCTION)).toBeGreaterThanOrEqual(1);
    const killedPage = parseWork(await work.get());
    expect(killedPage).toMatchObject({ refreshed: true, cursor: null, stalls: 0, done: false });
    expect(episodesOf((await trackingRef(db, specialsFan, showId).get()).data())["0_1"].episodeName).toBeUndefined();

    await specials.release();
    const usersPage: UsersTask = { kind: "users", runId: summary.runId, gen: 1, showId, cursor: null, stalls: 0 };
    // Redelivered twice at once as well: one attempt commits the page, the other must not count it again.
    await redeliver(usersPage);

    // The run finished, counted once: one show, one page of five documents (the killed page counted nothing).
    const run = parseState(await nightlyStateRef(db).get()).run as RunState;
    expect(run).toMatchObject({
      id: summary.runId,
      phase: "finished",
      outcome: "succeeded",
      showsTotal: 1,
      showsDone: 1,
      counts: { showsPlanned: 1, seasonsRefreshed: 2, documentsRead: 5, failures: 0 },
    });
    // The specials fan's document is the only one the retried page still had to write.
    expect(run.counts.documentsUpdated).toBe(1);
    expect(parseWork(await work.get())).toMatchObject({ done: true, counts: { documentsRead: 5, documentsUpdated: 1 } });

    // Every document enriched, nothing else about it changed.
    for (const uid of followers) {
      const episodes = episodesOf((await trackingRef(db, uid, showId).get()).data());
      expect(episodes["1_1"]).toMatchObject({ watched: true, watchedAt, episodeName: cached(1)["1"].episodeName });
      expect(episodes["2_1"]).toMatchObject({ watched: true, watchedAt, episodeName: "Renamed S2E1" });
      expect(episodes["2_2"]).toMatchObject({ watched: true, watchedAt, episodeName: "Renamed S2E2" });
      expect(episodes["3_1"]).toMatchObject({ watched: true, watchedAt, episodeName: expect.any(String) });
    }
    const fan = episodesOf((await trackingRef(db, specialsFan, showId).get()).data());
    expect(fan["0_1"]).toMatchObject({ watched: true, watchedAt, episodeName: expect.any(String) });
    expect(fan["2_1"]).toMatchObject({ watched: true, watchedAt, episodeName: "Renamed S2E1" });

    // Every season fetched once: seasons 1–2 with the show yesterday and by the killed refresh tonight
    // (neither retry fetched them again), seasons 3 and 0 by the users' requests only.
    const paths = (await fake.requests(`/tv/${showId}`))
      .map((r) => r.path)
      .filter((p) => p === `/tv/${showId}` || p.startsWith(`/tv/${showId}/`));
    expect(paths.sort()).toEqual([`/tv/${showId}`, `/tv/${showId}`, `/tv/${showId}/season/0`, `/tv/${showId}/season/3`]);

    // Episode 2 of season 3 (aired yesterday) announced to each of the five followers once, never rewritten.
    for (const uid of everyone) {
      const inbox = await inboxCollection(db, uid).get();
      const items = inbox.docs.map((d) => ({ id: d.id, rewrittenAfterCreate: !d.createTime.isEqual(d.updateTime) }));
      expect(items).toEqual([{ id: `${showId}_3_2`, rewrittenAfterCreate: false }]);
    }
  }, 60_000);
});

import { Timestamp, type DocumentReference } from "firebase-admin/firestore";
import pLimit from "p-limit";
import { seasonRef, type SeasonCacheDoc, type SeasonEpisodes } from "../../functions/src/cache/documents";
import type { AppContext } from "../../functions/src/shared/app";
import { enrichShow } from "../../functions/src/enrichment/enrichShow";
import { nightlyDeps, type NightlyDeps, type NightlyOptions, type NightlyProbeEvent } from "../../functions/src/nightly/deps";
import { runNightly } from "../../functions/src/nightly/planner";
import { InMemoryNightlyQueue } from "../support/nightlyQueue";
import { parseState, type RunState } from "../../functions/src/nightly/state";
import { addDays, utcDate } from "../../functions/src/shared/dates";
import { runParsedTask } from "../../functions/src/nightly/worker";
import { trackingRef } from "../../functions/src/tracking/trackingDoc";
import type { ShowSpec } from "../../tools/fake-tmdb/catalog";
import { startTestEnv, uniqueId, uniqueShowId, type TestEnv } from "../support/admin";
import { waitForDoc } from "../support/firestoreWait";
import { cacheKilledMidFetch } from "../support/seasonHolder";

const DAY = 86_400_000;
const watchedAt = Timestamp.fromMillis(Date.parse("2024-03-01T20:00:00Z"));

let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(() => env.close());

/** Ended shows (30-day TTL) of 2 seasons × 8 episodes; `renamed` renames season 2 on TMDB. */
const showSpec = (showId: number, options: { renamed?: boolean; seasons?: number } = {}): ShowSpec => ({
  name: `Nightly ${showId}`,
  seasons: Array.from({ length: options.seasons ?? 2 }, (_, i) => ({
    episodes: 8,
    airDate: `${2015 + i}-01-01`,
    names: options.renamed && i === 1 ? Array.from({ length: 8 }, (_, e) => `Renamed S2E${e + 1}`) : undefined,
  })),
});

/**
 * One test's nightly world: its own state document (so test files and cases never share a run), an
 * in-memory queue drained in-process, a clock that moves a day per night, and a probe recording events.
 */
async function nightlyWorld(
  options: Partial<NightlyOptions> = {},
  state: { lastWindowEnd?: string; backfillDone?: boolean; clockStart?: Date } = {},
) {
  const stateRef = env.db.collection("ops").doc(uniqueId("nightly-test"));
  const start = state.clockStart?.getTime() ?? Date.now();
  let night = 0;
  // Real time (or a fixed instant), moved a day later each night.
  const clock = () => new Date(start + night * DAY + (state.clockStart ? 0 : Date.now() - start));
  await stateRef.set({
    lastWindowEnd: state.lastWindowEnd ?? utcDate(new Date(start)),
    backfill: { done: state.backfillDone ?? true, cursor: null, scanned: 0, updated: 0, completedAt: null },
    run: null,
  });
  const events: NightlyProbeEvent[] = [];
  let fault: ((event: NightlyProbeEvent) => void) | undefined;
  const ctx = env.context({ clock });
  const queue = new InMemoryNightlyQueue();
  const deps: NightlyDeps = nightlyDeps(ctx, queue, {
    stateRef,
    options,
    probe: (event) => {
      events.push(event);
      fault?.(event);
    },
  });
  return {
    ctx,
    clock,
    deps,
    queue,
    events,
    stateRef,
    setFault: (f: typeof fault) => (fault = f),
    /** Runs the scheduled planner one night later, then drains the queue. */
    async night(drainOptions: { maxAttempts?: number; concurrency?: number } = {}) {
      night++;
      const summary = await runNightly(deps);
      const tasks = await queue.drain((task) => runParsedTask(deps, task), drainOptions);
      return { summary, tasks, run: await runOf(stateRef) };
    },
    nextNightWithoutDraining: async () => {
      night++;
      return runNightly(deps);
    },
  };
}

async function runOf(stateRef: DocumentReference): Promise<RunState> {
  const run = parseState(await stateRef.get()).run;
  if (!run) throw new Error("no run recorded");
  return run;
}

/** A tracking document as the backend writes it, enriched from the cached season data. */
function trackingDoc(showId: number, keys: string[], cached: Map<number, SeasonEpisodes>) {
  const episodes: Record<string, object> = {};
  for (const key of keys) {
    const [season, episode] = key.split("_").map(Number);
    episodes[key] = { watched: true, watchedAt, ...cached.get(season)?.[String(episode)] };
  }
  return { showId, episodes };
}

async function cacheShow(ctx: AppContext, showId: number, seasons: number[]): Promise<Map<number, SeasonEpisodes>> {
  const loaded = await ctx.cache.load(showId, seasons, { includeShow: true });
  return new Map(seasons.map((s) => [s, (loaded.seasons.get(s) as { episodes: SeasonEpisodes }).episodes]));
}

async function requestsSince(mark: number) {
  return (await env.fake.requests()).slice(mark);
}

/** Update times by direct reads (a collection-group query scans every test's documents in the emulator). */
async function updateTimesOf(refs: DocumentReference[]): Promise<Map<string, Timestamp>> {
  const times = new Map<string, Timestamp>();
  const chunks = Array.from({ length: Math.ceil(refs.length / 500) }, (_, i) => refs.slice(i * 500, i * 500 + 500));
  const limit = pLimit(4);
  await Promise.all(
    chunks.map((chunk) =>
      limit(async () => (await env.db.getAll(...chunk)).forEach((s) => times.set(s.ref.path, s.updateTime as Timestamp))),
    ),
  );
  return times;
}

const changedPaths = (before: Map<string, Timestamp>, after: Map<string, Timestamp>) =>
  [...after]
    .filter(([path, time]) => !before.get(path)?.isEqual(time))
    .map(([path]) => path)
    .sort();

describe("nightlyReenrich at scale: 2,000 users × 10 shows", () => {
  const USERS = 2000;
  const SHOWS = 30;
  const shows = Array.from({ length: SHOWS }, () => uniqueShowId());
  const changed = shows.slice(0, 3);
  const prefix = uniqueId("night");
  /** User i tracks 10 of the 30 shows; every even user also watched season 2. */
  const showsOf = (i: number) => Array.from({ length: 10 }, (_, k) => shows[(i + 3 * k) % SHOWS]);
  const keysOf = (i: number) => (i % 2 === 0 ? ["1_1", "1_2", "2_1"] : ["1_1", "1_2"]);
  let world: Awaited<ReturnType<typeof nightlyWorld>>;
  let refs: DocumentReference[] = [];
  const seeded = new Map<string, Timestamp>();
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    const started = Date.now();
    world = await nightlyWorld();
    const cached = new Map<number, Map<number, SeasonEpisodes>>();
    for (const showId of shows) {
      await env.fake.setShow(showId, showSpec(showId));
      cached.set(showId, await cacheShow(world.ctx, showId, [1, 2]));
    }
    // Batches of 100, 8 at a time: the emulator's fastest way in (BulkWriter is several times slower there).
    const docs = [...Array(USERS).keys()].flatMap((i) =>
      showsOf(i).map((showId) => ({ ref: trackingRef(env.db, `${prefix}-${i}`, showId), showId, i })),
    );
    refs = docs.map((d) => d.ref);
    const limit = pLimit(8);
    await Promise.all(
      Array.from({ length: Math.ceil(docs.length / 100) }, (_, c) => docs.slice(c * 100, c * 100 + 100)).map((chunk) =>
        limit(async () => {
          const batch = env.db.batch();
          for (const { ref, showId, i } of chunk) batch.set(ref, trackingDoc(showId, keysOf(i), cached.get(showId) ?? new Map()));
          (await batch.commit()).forEach((result, k) => seeded.set(chunk[k].ref.path, result.writeTime));
        }),
      ),
    );
    timings.seedMs = Date.now() - started;
  }, 180_000);

  afterAll(() => {
    console.info(`nightly scale scenario (ms): ${JSON.stringify(timings)}`);
  });

  it("refetches exactly the changed shows' seasons once each and rewrites only the affected documents", async () => {
    expect(seeded.size).toBe(USERS * 10);
    for (const showId of changed) await env.fake.setShow(showId, showSpec(showId, { renamed: true }));
    const uncached = [uniqueShowId(), uniqueShowId(), uniqueShowId()];
    await env.fake.setChanges([...changed, ...uncached]);
    const mark = (await env.fake.requests()).length;

    const started = Date.now();
    const { run, tasks } = await world.night({ concurrency: 4 });
    timings.changedNightMs = Date.now() - started;
    timings.changedNightTasks = tasks;

    // TMDB: one changes page, then one request per changed show carrying both its seasons; nothing else.
    const requests = await requestsSince(mark);
    expect(requests.filter((r) => r.path === "/tv/changes")).toHaveLength(1);
    const showRequests = requests.filter((r) => r.path !== "/tv/changes");
    expect(showRequests.map((r) => r.path).sort()).toEqual(changed.map((id) => `/tv/${id}`).sort());
    for (const r of showRequests) expect(r.query.append_to_response).toBe("season/1,season/2");

    // Documents: exactly those of users tracking a changed show's season 2.
    const after = await updateTimesOf(refs);
    const affected = [...Array(USERS).keys()]
      .filter((i) => keysOf(i).includes("2_1"))
      .flatMap((i) =>
        showsOf(i)
          .filter((s) => changed.includes(s))
          .map((s) => trackingRef(env.db, `${prefix}-${i}`, s).path),
      )
      .sort();
    expect(changedPaths(seeded, after)).toEqual(affected);
    const sample = (await env.db.doc(affected[0]).get()).data();
    expect(sample?.episodes["2_1"]).toMatchObject({ watched: true, watchedAt, episodeName: "Renamed S2E1" });
    expect(sample?.episodes["1_1"].episodeName).toMatch(/^S1E1 of Nightly/);

    const readable = [...Array(USERS).keys()].reduce((n, i) => n + showsOf(i).filter((s) => changed.includes(s)).length, 0);
    expect(run).toMatchObject({ phase: "finished", outcome: "succeeded", showsTotal: 3, showsDone: 3 });
    expect(run.counts).toEqual({
      changesPages: 1,
      changedShows: 6,
      showsPlanned: 3,
      seasonsMarked: 9, // 2 seasons + the show document, per changed show
      seasonsRefreshed: 6,
      documentsRead: readable,
      documentsUpdated: affected.length,
      episodesUpdated: affected.length,
      tmdbCalls: 4,
      failures: 0,
    });
    expect(run.durationMs).not.toBeNull();
    timings.documentsRead = readable;
    timings.documentsUpdated = affected.length;
  });

  it("a night with no changes costs one /tv/changes page, no task and no user-document read", async () => {
    await env.fake.setChanges([]);
    const mark = (await env.fake.requests()).length;
    const eventsBefore = world.events.length;
    const queued = world.queue.accepted.length;

    const started = Date.now();
    const { run, tasks } = await world.night();
    timings.quietNightMs = Date.now() - started;

    expect((await requestsSince(mark)).map((r) => r.path)).toEqual(["/tv/changes"]);
    expect(tasks).toBe(0);
    expect(world.queue.accepted.length).toBe(queued);
    expect(world.events.slice(eventsBefore).filter((e) => e.type === "document")).toEqual([]);
    expect(run).toMatchObject({ phase: "finished", outcome: "succeeded", showsTotal: 0 });
    expect(run.counts).toMatchObject({ changesPages: 1, documentsRead: 0, documentsUpdated: 0, tmdbCalls: 1 });
  });
});

describe("nightlyReenrich recovery", () => {
  it("finishes a run whose workers were killed midway in the next run, doing nothing twice", async () => {
    const world = await nightlyWorld({ usersPageSize: 10, usersConcurrency: 1 });
    const shows = [uniqueShowId(), uniqueShowId(), uniqueShowId()];
    const changed = shows.slice(0, 2);
    const prefix = uniqueId("crash");
    const refs: DocumentReference[] = [];
    for (const showId of shows) {
      await env.fake.setShow(showId, showSpec(showId));
      const cached = await cacheShow(world.ctx, showId, [1, 2]);
      const batch = env.db.batch();
      for (let i = 0; i < 30; i++) {
        refs.push(trackingRef(env.db, `${prefix}-${i}`, showId));
        batch.set(refs[refs.length - 1], trackingDoc(showId, ["1_1", "2_1", "2_2"], cached));
      }
      await batch.commit();
    }
    const seeded = await updateTimesOf(refs);
    for (const showId of changed) await env.fake.setShow(showId, showSpec(showId, { renamed: true }));
    await env.fake.setChanges(changed);
    const mark = (await env.fake.requests()).length;

    // Night 1: the refresh task dies right after committing the second show (before queueing its users
    // pass), and the first show's users pass dies in its second page. The queue gives up on both.
    let documents = 0;
    world.setFault((event) => {
      if (event.type === "show-refreshed" && event.showId === changed[1]) throw new Error("killed after refresh");
      if (event.type === "document" && ++documents === 15) throw new Error("killed mid-page");
    });
    const first = await world.night({ maxAttempts: 1 });
    expect(world.queue.dropped).toHaveLength(2);
    expect(first.run.phase).toBe("dispatched");
    const afterCrash = await updateTimesOf(refs);
    const writtenBeforeCrash = changedPaths(seeded, afterCrash);
    expect(writtenBeforeCrash).toHaveLength(15);

    // Night 2: the planner resumes the unfinished run instead of opening a new window.
    world.setFault(undefined);
    const second = await world.night();
    expect(second.summary).toMatchObject({ runId: first.run.id, resumed: true, gaveUp: null });
    expect(second.run).toMatchObject({ id: first.run.id, phase: "finished", outcome: "succeeded", attempts: 2 });

    // Each changed season fetched once over both nights; nothing else asked of TMDB.
    const requests = await requestsSince(mark);
    expect(
      requests
        .filter((r) => r.path !== "/tv/changes")
        .map((r) => r.path)
        .sort(),
    ).toEqual(changed.map((id) => `/tv/${id}`).sort());
    // Every affected document written exactly once: those written before the crash kept their version.
    const final = await updateTimesOf(refs);
    const affected = changed
      .flatMap((showId) => Array.from({ length: 30 }, (_, i) => trackingRef(env.db, `${prefix}-${i}`, showId).path))
      .sort();
    expect(changedPaths(seeded, final)).toEqual(affected);
    for (const path of writtenBeforeCrash) expect(final.get(path)?.isEqual(afterCrash.get(path) as Timestamp)).toBe(true);
    const writes = world.events.filter((e) => e.type === "document" && e.wrote).map((e) => (e as { path: string }).path);
    expect(new Set(writes).size).toBe(writes.length);
    // The crashed page's writes were never committed, so they are not counted either.
    expect(second.run.counts).toMatchObject({ seasonsRefreshed: 4, documentsUpdated: affected.length - 5, failures: 0 });
    expect(parseState(await world.stateRef.get()).lastWindowEnd).toBe(first.run.window.end);
  });

  it("gives up a run that keeps failing after maxRunAttempts and opens the next window", async () => {
    const world = await nightlyWorld({ maxRunAttempts: 2 });
    const showId = uniqueShowId();
    await cacheShow(world.ctx, showId, [1]);
    await env.fake.setChanges([showId]);
    await env.fake.addFault({ path: `/tv/${showId}`, kind: "500" });
    const ctxRetries = { maxAttempts: 1 }; // the queue gives up on the task at once

    const first = await world.night(ctxRetries);
    expect(first.run).toMatchObject({ phase: "dispatched", showsDone: 0 });
    expect(first.run.counts.failures).toBe(1);
    const second = await world.night(ctxRetries);
    expect(second.summary.resumed).toBe(true);
    await env.fake.setChanges([]);
    const third = await world.night(ctxRetries);
    await env.fake.clearFaults();
    expect(third.summary.gaveUp).toBe(first.run.id);
    expect(third.run).toMatchObject({ phase: "finished", outcome: "succeeded", window: { start: first.run.window.end } });
    expect(third.run.id).not.toBe(first.run.id);
    // The season stays marked stale: the next reader refreshes it through the cache as usual.
    const doc = (await seasonRef(env.db, showId, 1).get()).data() as SeasonCacheDoc;
    expect(doc.status).toBe("complete");
    expect(Object.keys(doc.episodes).length).toBeGreaterThan(0);
  });
});

describe("nightlyReenrich racing user enrichment", () => {
  async function raceSetup() {
    const world = await nightlyWorld();
    const showId = uniqueShowId();
    await env.fake.setShow(showId, showSpec(showId, { seasons: 1 }));
    // Season documents only (no show document), so every TMDB call is a fetch of season 1.
    const loaded = await world.ctx.cache.load(showId, [1]);
    const cached = new Map([[1, (loaded.seasons.get(1) as { episodes: SeasonEpisodes }).episodes]]);
    const prefix = uniqueId("race");
    for (let i = 0; i < 3; i++) await trackingRef(env.db, `${prefix}-${i}`, showId).set(trackingDoc(showId, ["1_1"], cached));
    // The racing user has an episode that was never enriched, so their request needs season 1.
    const racer = `${prefix}-racer`;
    await trackingRef(env.db, racer, showId).set({ showId, episodes: { "1_2": { watched: true, watchedAt } } });
    await env.fake.setShow(showId, {
      ...showSpec(showId, { seasons: 1 }),
      seasons: [{ episodes: 8, airDate: "2015-01-01", names: ["Renamed S1E1", "Renamed S1E2"] }],
    });
    await env.fake.setChanges([showId]);
    // Plan only: season 1 is marked stale and its refresh is queued.
    await world.nextNightWithoutDraining();
    const mark = (await env.fake.requests()).length;
    return { world, showId, prefix, racer, mark };
  }

  async function expectRenamedEverywhere(showId: number, prefix: string, racer: string) {
    for (let i = 0; i < 3; i++) {
      expect((await trackingRef(env.db, `${prefix}-${i}`, showId).get()).get("episodes")["1_1"].episodeName).toBe("Renamed S1E1");
    }
    expect((await trackingRef(env.db, racer, showId).get()).get("episodes")["1_2"]).toMatchObject({
      watched: true,
      episodeName: "Renamed S1E2",
    });
  }

  it("nightly refresh first, user request during it: one TMDB call", async () => {
    const { world, showId, prefix, racer, mark } = await raceSetup();
    await env.fake.setLatency(300);
    const locked = await waitForDoc(seasonRef(env.db, showId, 1), (d) => d?.status === "populating");
    const refreshing = world.queue.runNext((task) => runParsedTask(world.deps, task), 1);
    await locked.reached;
    const user = await enrichShow(env.context({ clock: world.clock }), racer, showId); // served the stale episodes, no TMDB call
    await refreshing;
    await env.fake.setLatency(0);
    expect(user.pendingSeasons).toEqual([]);
    await world.queue.drain((task) => runParsedTask(world.deps, task));

    expect((await requestsSince(mark)).map((r) => r.path)).toEqual([`/tv/${showId}/season/1`]);
    expect((await runOf(world.stateRef)).counts).toMatchObject({ seasonsRefreshed: 1, failures: 0 });
    await expectRenamedEverywhere(showId, prefix, racer);
  });

  it("a refresh killed mid-fetch and redelivered takes over its own lock at once and fetches the season once; others still wait", async () => {
    const { world, showId, prefix, racer, mark } = await raceSetup();
    const [{ task }] = world.queue.accepted.filter((entry) => entry.task.kind === "refresh");
    // The first delivery takes season 1's lock, reaches TMDB, and its instance dies there.
    const killed = cacheKilledMidFetch(env.db, env.fake.url, world.clock);
    void runParsedTask({ ...world.deps, cache: killed.cache }, task);
    await killed.fetching;
    const lock = (await seasonRef(env.db, showId, 1).get()).data() as SeasonCacheDoc & { holder?: string };
    expect(lock).toMatchObject({ status: "populating", holder: `nightly:${task.runId}:${showId}` });

    // No wait allowed (lockWaitMs 0): whoever needs the season now either takes the lock at once or gives up.
    const impatient = env.context({ clock: world.clock, config: { lockWaitMs: 0 } });
    const user = await impatient.cache.load(showId, [1]);
    expect(user.seasons.get(1)?.state).toBe("stale"); // another caller is served the old episodes and leaves the lock alone
    // The redelivered task is the lock's holder: it takes it over without waiting out the lease.
    await runParsedTask({ ...world.deps, cache: impatient.cache }, task);
    await world.queue.drain((next) => runParsedTask(world.deps, next));

    expect((await requestsSince(mark)).map((r) => r.path)).toEqual([`/tv/${showId}/season/1`]);
    const done = (await seasonRef(env.db, showId, 1).get()).data() as SeasonCacheDoc;
    expect(Object.keys(done).sort()).toEqual(["episodes", "lastUpdated", "status"]); // the holder left with the lock
    expect(done.status).toBe("complete");
    expect((await runOf(world.stateRef)).counts).toMatchObject({ seasonsRefreshed: 1 });
    await expectRenamedEverywhere(showId, prefix, racer);
  });

  it("user request first, nightly refresh during it: one TMDB call", async () => {
    const { world, showId, prefix, racer, mark } = await raceSetup();
    await env.fake.setLatency(300);
    const locked = await waitForDoc(seasonRef(env.db, showId, 1), (d) => d?.status === "populating");
    const user = enrichShow(env.context({ clock: world.clock }), racer, showId); // takes the stale season's lock and fetches it
    await locked.reached;
    await world.queue.runNext((task) => runParsedTask(world.deps, task), 1); // the refresh finds the live lock
    await user;
    await env.fake.setLatency(0);
    await world.queue.drain((task) => runParsedTask(world.deps, task));

    expect((await requestsSince(mark)).map((r) => r.path)).toEqual([`/tv/${showId}/season/1`]);
    expect((await runOf(world.stateRef)).counts).toMatchObject({ seasonsRefreshed: 0, failures: 0 });
    expect((await runOf(world.stateRef)).phase).toBe("finished");
    await expectRenamedEverywhere(showId, prefix, racer);
  });
});

describe("nightlyReenrich planning", () => {
  it("backfills showId on documents written before the backend set it, then re-enriches them in the same run", async () => {
    const prefix = uniqueId("backfill");
    const world = await nightlyWorld(
      {
        backfillPageSize: 2,
        backfillScope: { startAt: `users/${prefix}/episode_tracking/0`, endBefore: `users/${prefix}./episode_tracking/0` },
      },
      { backfillDone: false },
    );
    const showId = uniqueShowId();
    await env.fake.setShow(showId, showSpec(showId));
    const cached = await cacheShow(world.ctx, showId, [1, 2]);
    const other = uniqueShowId();
    for (let i = 0; i < 3; i++) {
      const { episodes } = trackingDoc(showId, ["2_1"], cached);
      await trackingRef(env.db, `${prefix}-${i}`, showId).set({ episodes });
      await trackingRef(env.db, `${prefix}-${i}`, other).set({ episodes: { "1_1": { watched: true, watchedAt } } });
    }
    await env.db.doc(`users/${prefix}-0/episode_tracking/not-a-show`).set({ episodes: {} });
    await env.fake.setShow(showId, showSpec(showId, { renamed: true }));
    await env.fake.setChanges([showId]);

    const { run } = await world.night();
    const state = parseState(await world.stateRef.get());
    expect(state.backfill).toMatchObject({ done: true, cursor: null, scanned: 7, updated: 6 });
    expect((await env.db.doc(`users/${prefix}-0/episode_tracking/not-a-show`).get()).get("showId")).toBeUndefined();
    for (let i = 0; i < 3; i++) {
      const doc = (await trackingRef(env.db, `${prefix}-${i}`, showId).get()).data();
      expect(doc).toMatchObject({ showId, episodes: { "2_1": { watched: true, episodeName: "Renamed S2E1" } } });
      expect((await trackingRef(env.db, `${prefix}-${i}`, other).get()).get("showId")).toBe(other);
    }
    expect(run).toMatchObject({ phase: "finished", counts: { documentsUpdated: 3 } });
  });

  it("hands planning over to a plan task when its time budget is spent, and pages through /tv/changes", async () => {
    const world = await nightlyWorld({ planBudgetMs: 0 });
    const showId = uniqueShowId();
    await cacheShow(world.ctx, showId, [1]);
    // 250 changed ids (3 pages), only the last one cached.
    const ids = Array.from({ length: 249 }, () => uniqueShowId());
    await env.fake.setChanges([...ids, showId]);
    const mark = (await env.fake.requests()).length;
    const { summary, run } = await world.night();
    expect(summary.phase).toBe("collecting");
    expect(world.queue.accepted.filter((t) => t.task.kind === "plan")).toHaveLength(2);
    expect((await requestsSince(mark)).filter((r) => r.path === "/tv/changes").map((r) => r.query.page)).toEqual(["1", "2", "3"]);
    expect(run).toMatchObject({ phase: "finished", counts: { changesPages: 3, changedShows: 250, showsPlanned: 1, seasonsRefreshed: 1 } });
  });

  it("falls back to TTL staleness when the last run is more than 14 days ago", async () => {
    // A clock in 1990 keeps the TTL scan to this test's documents.
    const clockStart = new Date("1990-06-15T03:00:00Z");
    const world = await nightlyWorld({}, { lastWindowEnd: "1990-05-20", clockStart });
    const showId = uniqueShowId();
    await env.fake.setShow(showId, {
      name: `Old ${showId}`,
      seasons: [
        { episodes: 3, airDate: "1985-01-01" },
        { episodes: 3, airDate: "1986-01-01" },
      ],
    });
    const episodesOf = async (season: number) => (await world.ctx.cache.load(showId, [season])).seasons;
    await episodesOf(1);
    await episodesOf(2);
    // Season 1 is 40 days old (past its 30-day TTL), season 2 is fresh.
    await seasonRef(env.db, showId, 1).update({ lastUpdated: Timestamp.fromMillis(clockStart.getTime() - 40 * DAY) });
    await trackingRef(env.db, uniqueId("ttl"), showId).set({ showId, episodes: { "1_1": { watched: true, watchedAt } } });
    const mark = (await env.fake.requests()).length;

    const { run } = await world.night();
    expect(run).toMatchObject({
      mode: "ttl",
      phase: "finished",
      counts: { changesPages: 0, showsPlanned: 1, seasonsRefreshed: 1, documentsUpdated: 1 },
    });
    expect((await requestsSince(mark)).map((r) => r.path)).toEqual([`/tv/${showId}/season/1`]);
    expect(parseState(await world.stateRef.get()).lastWindowEnd).toBe(addDays("1990-06-15", 1));
  });

  it("never writes a cache document under a live populating lock", async () => {
    const world = await nightlyWorld();
    const showId = uniqueShowId();
    await cacheShow(world.ctx, showId, [1, 2]);
    const lockedAt = Timestamp.fromMillis(Date.now() + DAY); // live at tomorrow night's clock
    await seasonRef(env.db, showId, 2).update({ status: "populating", lastUpdated: lockedAt });
    const before = await seasonRef(env.db, showId, 2).get();
    await env.fake.setChanges([showId]);
    await world.nextNightWithoutDraining();
    const after = await seasonRef(env.db, showId, 2).get();
    expect(after.updateTime?.isEqual(before.updateTime as Timestamp)).toBe(true);
    expect((await seasonRef(env.db, showId, 1).get()).get("lastUpdated").toMillis()).toBeLessThan(world.clock().getTime() - 30 * DAY);
    const work = await world.stateRef.collection("nightly_work").doc(String(showId)).get();
    expect(work.data()).toMatchObject({ seasons: [1, 2], show: true, refreshed: false });
  });
});

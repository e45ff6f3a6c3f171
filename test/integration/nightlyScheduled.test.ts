import { readFileSync } from "node:fs";
import { join } from "node:path";
import { deleteApp, getApps, initializeApp } from "firebase-admin/app";
import { Timestamp } from "firebase-admin/firestore";
import type { ScheduledEvent } from "firebase-functions/v2/scheduler";
import { createAppContext } from "../../functions/src/shared/app";
import { DEFAULT_CONFIG } from "../../functions/src/shared/config";
import { nightlyReenrich } from "../../functions/src/index";
import { NIGHTLY_STATE_PATH, parseState } from "../../functions/src/nightly/state";
import { utcDate } from "../../functions/src/shared/dates";
import { TmdbClient } from "../../functions/src/tmdb/client";
import { trackingRef } from "../../functions/src/tracking/trackingDoc";
import { FakeTmdbControl } from "../../tools/fake-tmdb/control";
import { startTestEnv, TEST_TMDB_OPTIONS, uniqueId, uniqueShowId, type TestEnv } from "../support/admin";
import { waitForDoc } from "../support/firestoreWait";
import { takeNightlyTurn } from "../support/nightlyStateLock";

/**
 * The deployed trigger, as the scheduler would call it: params from the environment, the real
 * `ops/nightly_reenrich` document, and tasks sent to the Cloud Tasks emulator, which dispatches them to
 * `nightlyReenrichTasks` in the Functions emulator. Both talk to the fake TMDB server the emulator
 * harness runs (FAKE_TMDB_URL), controlled over HTTP. It shares the real state document with e2e/nightlyChaos.test.ts only.
 */
const fakeUrl = process.env.FAKE_TMDB_URL;
const describeWithHarness = fakeUrl ? describe : describe.skip;

let env: TestEnv;
let control: FakeTmdbControl;
let releaseTurn: (() => Promise<void>) | undefined;
beforeAll(async () => {
  env = await startTestEnv();
  // The state document and the changes feed are shared with test/e2e/nightlyChaos.test.ts: one file at a time.
  releaseTurn = await takeNightlyTurn(env.db);
  // What the Functions runtime reads from functions/.env (+ the per-run files the harness writes).
  for (const line of readFileSync(join(__dirname, "../../functions/.env"), "utf8").split("\n")) {
    const match = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (match) process.env[match[1]] ??= match[2];
  }
  process.env.TMDB_BASE_URL = fakeUrl;
  process.env.TMDB_API_KEY = "fake-tmdb-key";
  control = new FakeTmdbControl(fakeUrl ?? "http://127.0.0.1:1/3");
  // The default app a deployed instance has (appContextFromParams only creates it when no app exists).
  initializeApp({ projectId: process.env.TEST_PROJECT_ID });
});
afterAll(async () => {
  await releaseTurn?.();
  await env.close();
  await Promise.all(
    getApps()
      .filter((app) => app.name === "[DEFAULT]")
      .map((app) => deleteApp(app)),
  );
});

const stateRef = () => env.db.doc(NIGHTLY_STATE_PATH);
const event = (): ScheduledEvent => ({ scheduleTime: new Date().toISOString() });

async function resetState() {
  await stateRef().set({
    lastWindowEnd: utcDate(new Date()),
    // Other test files' tracking documents live in this emulator: no backfill over them.
    backfill: { done: true, cursor: null, scanned: 0, updated: 0, completedAt: null },
    run: null,
  });
  await env.db.recursiveDelete(stateRef().collection("nightly_work"));
}

describeWithHarness("nightlyReenrich (the exported scheduled function)", () => {
  it("on a night without changes reads one /tv/changes page and closes the run itself", async () => {
    await resetState();
    await control.setChanges([]);
    const before = (await control.requests("/tv/changes")).length;

    await nightlyReenrich.run(event());

    const changes = (await control.requests("/tv/changes")).slice(before);
    expect(changes).toHaveLength(1);
    const today = utcDate(new Date());
    expect(changes[0].query).toMatchObject({ start_date: today, end_date: today, page: "1" });
    const state = parseState(await stateRef().get());
    expect(state.run).toMatchObject({
      phase: "finished",
      outcome: "succeeded",
      showsTotal: 0,
      counts: { changesPages: 1, documentsRead: 0 },
    });
    expect(state.lastWindowEnd).toBe(today);
  });

  it("fans a changed show out through the Cloud Tasks emulator to the task-queue function", async () => {
    await resetState();
    const showId = uniqueShowId();
    const spec = (renamed: boolean) => ({
      name: `Scheduled ${showId}`,
      seasons: [{ episodes: 4, airDate: "2015-01-01", names: renamed ? ["Renamed S1E1"] : undefined }],
    });
    await control.setShow(showId, spec(false));
    const ctx = createAppContext({
      db: env.db,
      tmdb: new TmdbClient({ baseUrl: fakeUrl as string, credential: "fake-tmdb-key", ...TEST_TMDB_OPTIONS }),
      config: DEFAULT_CONFIG,
    });
    const loaded = await ctx.cache.load(showId, [1], { includeShow: true });
    const cached = loaded.seasons.get(1) as { episodes: Record<string, object> };
    const uid = uniqueId("scheduled");
    const watchedAt = Timestamp.fromMillis(Date.parse("2024-03-01T20:00:00Z"));
    await trackingRef(env.db, uid, showId).set({ showId, episodes: { "1_1": { watched: true, watchedAt, ...cached.episodes["1"] } } });
    await control.setShow(showId, spec(true));
    await control.setChanges([showId]);
    const before = (await control.requests(`/tv/${showId}`)).length;

    const finished = await waitForDoc(stateRef(), (d) => d?.run?.phase === "finished");
    await nightlyReenrich.run(event());
    const state = await finished.reached;

    expect(state?.run).toMatchObject({
      outcome: "succeeded",
      showsTotal: 1,
      counts: { seasonsRefreshed: 1, documentsUpdated: 1, failures: 0 },
    });
    expect((await control.requests(`/tv/${showId}`)).slice(before)).toHaveLength(1);
    expect((await trackingRef(env.db, uid, showId).get()).get("episodes")["1_1"]).toMatchObject({
      watched: true,
      watchedAt,
      episodeName: "Renamed S1E1",
    });
    await control.setChanges([]);
  });
});

import { registerDevice, unregisterDevice, deviceId } from "../../functions/src/library/devices";
import { setShowStatus } from "../../functions/src/library/showStatus";
import { RecordingAlertSender } from "../../functions/src/nightly/alertSender";
import { recentlyAired } from "../../functions/src/nightly/alerts";
import { nightlyDeps } from "../../functions/src/nightly/deps";
import { runNightly } from "../../functions/src/nightly/planner";
import { InMemoryNightlyQueue } from "../support/nightlyQueue";
import { runParsedTask } from "../../functions/src/nightly/worker";
import { trackingRef } from "../../functions/src/tracking/trackingDoc";
import { addDays, utcToday } from "../../tools/fake-tmdb/catalog";
import { startTestEnv, uniqueId, uniqueShowId, type TestEnv } from "../support/admin";

let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(() => env.close());

const DAY = 86_400_000;
const today = utcToday();
const userDir = (uid: string) => env.db.collection("users").doc(uid);

describe("registerDevice / unregisterDevice", () => {
  it("keeps one document per token, keyed by its hash, idempotently", async () => {
    const uid = uniqueId("user");
    const ctx = env.context();
    const token = `fcm:${"x".repeat(150)}/with+odd=chars`;
    expect(await registerDevice(ctx, uid, { token, platform: "ios" })).toEqual({ registered: true });
    expect(await registerDevice(ctx, uid, { token, platform: "ios" })).toEqual({ registered: true });
    const devices = await userDir(uid).collection("devices").get();
    expect(devices.docs.map((d) => [d.id, d.get("token"), d.get("platform")])).toEqual([[deviceId(token), token, "ios"]]);
    expect(deviceId(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(await unregisterDevice(ctx, uid, { token, platform: "ios" })).toEqual({ registered: false });
    expect((await userDir(uid).collection("devices").get()).size).toBe(0);
  });
});

describe("recentlyAired", () => {
  it("takes regular-season episodes that aired in the last three days, never future or undated ones", () => {
    const ep = (episodeAirDate: string | null, n: number) => [String(n), { episodeId: n, episodeName: `E${n}`, episodeAirDate }] as const;
    const seasons = new Map([
      [0, Object.fromEntries([ep("2025-06-10", 1)])],
      [2, Object.fromEntries([ep("2025-06-07", 1), ep("2025-06-08", 2), ep("2025-06-10", 3), ep("2025-06-11", 4), ep(null, 5)])],
    ]);
    expect(recentlyAired(seasons, "2025-06-10").map((e) => e.episode)).toEqual([2, 3]);
  });
});

describe("new-episode alerts in the nightly job", () => {
  it("notifies each follower once per newly aired episode (inbox + one push per device), and nobody on the next run", async () => {
    const [a, b] = [uniqueShowId(), uniqueShowId()];
    // A: an old episode, one that aired yesterday, one next week. B: one that airs today, one undated.
    await env.fake.setShow(a, {
      name: "Alerts A",
      seasons: [{ episodes: 3, airDates: [addDays(today, -20), addDays(today, -1), addDays(today, 7)] }],
    });
    await env.fake.setShow(b, { name: "Alerts B", seasons: [{ episodes: 2, airDates: [today, null] }] });
    const [both, onlyA, droppedB] = [uniqueId("fan"), uniqueId("fan"), uniqueId("fan")];
    const ctx = env.context();
    for (const [uid, showId] of [
      [both, a],
      [both, b],
      [onlyA, a],
      [droppedB, b],
    ] as const) {
      await trackingRef(env.db, uid, showId).set({ showId, episodes: {} });
    }
    await setShowStatus(ctx, droppedB, { showId: b, status: "dropped" });
    await registerDevice(ctx, both, { token: "phone-token", platform: "android" });
    await registerDevice(ctx, both, { token: "stale-token", platform: "web" });
    await registerDevice(ctx, droppedB, { token: "dropped-token", platform: "ios" });
    // The nightly job refreshes shows that are cached and that TMDB reports changed.
    for (const showId of [a, b]) await ctx.cache.load(showId, [1], { includeShow: true });
    await env.fake.setChanges([a, b]);

    const sender = new RecordingAlertSender();
    sender.invalidTokens.add("stale-token");
    const stateRef = env.db.collection("ops").doc(uniqueId("alerts-test"));
    let night = 0;
    await stateRef.set({
      lastWindowEnd: today,
      backfill: { done: true, cursor: null, scanned: 0, updated: 0, completedAt: null },
      run: null,
    });
    const queue = new InMemoryNightlyQueue();
    const deps = nightlyDeps(env.context({ clock: () => new Date(Date.now() + night * DAY) }), queue, { stateRef, alerts: sender });
    const runNight = async () => {
      night++;
      await runNightly(deps);
      await queue.drain((task) => runParsedTask(deps, task));
    };

    await runNight();
    const inbox = async (uid: string) => (await userDir(uid).collection("inbox").get()).docs.map((d) => d.id).sort();
    expect(await inbox(both)).toEqual([`${a}_1_2`, `${b}_1_1`].sort());
    expect(await inbox(onlyA)).toEqual([`${a}_1_2`]);
    expect(await inbox(droppedB)).toEqual([]);
    expect((await userDir(both).collection("inbox").doc(`${a}_1_2`).get()).data()).toMatchObject({
      showId: a,
      season: 1,
      episode: 2,
      showName: "Alerts A",
      episodeName: "S1E2 of Alerts A",
      airDate: addDays(today, -1),
      read: false,
    });
    // One push per device and episode; the token FCM called invalid was removed after its first failure.
    expect(sender.sent.map((m) => [m.token, m.data.inboxId]).sort()).toEqual(
      [
        ["phone-token", `${a}_1_2`],
        ["phone-token", `${b}_1_1`],
      ].sort(),
    );
    expect((await userDir(both).collection("devices").get()).docs.map((d) => d.get("token"))).toEqual(["phone-token"]);

    // The next night sees the same aired episodes again and notifies nobody.
    await runNight();
    expect(sender.sent).toHaveLength(2);
    expect(await inbox(both)).toHaveLength(2);
    expect(await inbox(onlyA)).toHaveLength(1);
  });
});

import { Timestamp } from "firebase-admin/firestore";
import * as exported from "../../functions/src/index";
import { trackingRef } from "../../functions/src/tracking/trackingDoc";
import { discoverCallables, treeOf } from "../integration/hostileHarness";
import { uniqueShowId } from "../support/admin";
import { anonymousClient } from "../support/client";
import { useE2eEnv } from "../support/e2e";

/**
 * The security promises of the callables (docs/API.md: Callables) as a client app meets them: real SDK, Auth and Functions
 * emulators. Every callable is covered in-process (hostileCallables.test.ts) and over HTTP
 * (test/unit/securityAppCheck.test.ts); here a few, since each one costs the emulator a cold start.
 */
const names = discoverCallables(exported)
  .map(({ name }) => name)
  .filter((name) => ["enrichShow", "markWatched", "getLibrary"].includes(name));

const env = useE2eEnv();

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => "ok",
    (error: { code?: string }) => error.code,
  );
const watchedAt = Timestamp.fromMillis(Date.parse("2024-03-01T20:00:00Z"));

it("callables refuse a client that is not signed in", async () => {
  expect(names).toHaveLength(3);
  const anonymous = anonymousClient();
  try {
    const codes = await Promise.all(names.map(async (name) => [name, await codeOf(anonymous.call(name, { showId: 1 }))]));
    expect(Object.fromEntries(codes)).toEqual(Object.fromEntries(names.map((name) => [name, "functions/unauthenticated"])));
  } finally {
    await anonymous.close();
  }
});

it("callables answer a payload that is not an object with invalid-argument", async () => {
  const u = await env.user();
  const codes = await Promise.all(names.map(async (name) => [name, await codeOf(u.call(name, "users/someone-else"))]));
  expect(Object.fromEntries(codes)).toEqual(Object.fromEntries(names.map((name) => [name, "functions/invalid-argument"])));
  expect(await treeOf(env.db, u.uid)).toBe("");
});

it("takes the uid from the ID token only: uid/userId in the payload change nothing for that user", async () => {
  const [me, victim] = [await env.user(), await env.user()];
  const showId = uniqueShowId();
  for (const uid of [me.uid, victim.uid])
    await trackingRef(env.db, uid, showId).set({ episodes: { "1_1": { watched: false, watchedAt } } });
  const victimBefore = await treeOf(env.db, victim.uid);

  await me.call("enrichShow", { showId, uid: victim.uid, userId: victim.uid });
  await me.call("markWatched", {
    showId,
    target: { type: "episodes", episodes: [{ season: 1, episode: 1 }] },
    uid: victim.uid,
    userId: victim.uid,
  });

  expect((await trackingRef(env.db, me.uid, showId).get()).data()?.episodes["1_1"]).toMatchObject({
    watched: true,
    episodeName: expect.any(String),
  });
  expect(await treeOf(env.db, victim.uid)).toBe(victimBefore);
});

it("a client calling enrichShow in a tight loop is stopped with resource-exhausted; another user is not", async () => {
  const [looper, bystander] = [await env.user(), await env.user()];
  let calls = 0;
  let code = "ok";
  // The emulator serves functions/.env's budget (a burst of 60, refilled 20 a minute): well inside 150 calls.
  while (code === "ok" && calls < 150) {
    code = (await codeOf(looper.call("enrichShow", { showId: 1399 }))) as string;
    calls += 1;
  }
  expect(code).toBe("functions/resource-exhausted");
  expect(calls).toBeGreaterThan(60);
  expect(await codeOf(bystander.call("enrichShow", { showId: 1399 }))).toBe("ok");
});

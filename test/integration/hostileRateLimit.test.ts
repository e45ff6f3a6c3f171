import fc from "fast-check";
import { deleteApp, getApp, initializeApp } from "firebase-admin/app";
import { getFirestore, type Firestore, type Timestamp } from "firebase-admin/firestore";
import { HttpsError } from "firebase-functions/v2/https";
import { z } from "zod";
import * as exported from "../../functions/src/index";
import { rateLimitRef, type RateLimitPolicy, type RateLimitPolicyName } from "../../functions/src/security/rateLimit";
import { startFakeTmdb, type FakeTmdb } from "../../tools/fake-tmdb/server";
import { validLooking, type JsonSchema } from "./hostileArbitraries";
import { authFor, discoverCallables, invoke, loadFunctionsEnv, projectId, seedUser, treeOf, type Outcome } from "./hostileHarness";

/**
 * Per-user budgets of the callables that spend TMDB quota (every callable declaring a `rateLimit`),
 * through their real handlers: a user in a tight loop is stopped with `resource-exhausted` before any
 * TMDB request, and other users keep their own budget.
 */
const BUDGET = 3;
const limited = discoverCallables(exported).filter(({ fn }) => fn.rateLimit !== undefined);
const byName = Object.fromEntries(limited.map(({ name, fn }) => [name, fn]));

let db: Firestore;
let fake: FakeTmdb;
let nextShow = 300_000 + Math.floor(Math.random() * 600_000) * 10;
const freshShow = () => (++nextShow % 1000 === 404 ? ++nextShow : nextShow);
const freshUid = (label: string) => `${label}-${Math.random().toString(36).slice(2, 10)}`;

beforeAll(async () => {
  fake = await startFakeTmdb({ port: 0 });
  process.env.TMDB_BASE_URL = fake.url;
  process.env.TMDB_API_KEY = "fake-tmdb-key";
  // Params are read per call. A burst of BUDGET refilled at one call a minute: nothing refills within a test's timeout.
  for (const policy of ["ENRICH", "IMPORT", "IMPORT_PARTS"]) {
    process.env[`RATE_LIMIT_${policy}_BURST`] = String(BUDGET);
    process.env[`RATE_LIMIT_${policy}_PER_MINUTE`] = "1";
  }
  // The social budgets (one param each: burst = the per-minute or per-day count).
  process.env.RATE_LIMIT_MESSAGES_PER_MINUTE = String(BUDGET);
  process.env.RATE_LIMIT_FRIEND_REQUESTS_PER_DAY = String(BUDGET);
  loadFunctionsEnv();
  initializeApp({ projectId: projectId() });
  db = getFirestore(getApp());
  const logger = jest.requireActual<Record<string, (...args: unknown[]) => void>>("firebase-functions/logger");
  for (const level of ["debug", "info", "warn"]) jest.spyOn(logger, level).mockImplementation(() => undefined);
});
afterAll(async () => {
  jest.restoreAllMocks();
  await fake.close();
  await deleteApp(getApp());
});

/** A valid payload for the callable, aimed at a show nobody has fetched yet where the callable takes one. */
function validPayload(name: string, showId: number): unknown {
  if (name === "enrichShow") return { showId };
  if (name === "markWatched") return { showId, target: { type: "season", season: 1 } };
  if (name === "syncHistory") {
    return {
      items: [
        {
          id: showId,
          watched_at: "2024-03-01T20:00:00Z",
          action: "watch",
          type: "episode",
          episode: { season: 1, number: 1 },
          show: { title: "X", ids: { tmdb: showId } },
        },
      ],
    };
  }
  if (name === "importCsv") return { csv: `title,season,episode,watched_at,tmdb_id\nShow ${showId},1,1,2024-03-01T20:00:00Z,${showId}\n` };
  // Never a live code: each try reaches the limiter and answers not-found.
  if (name === "joinHousehold")
    return {
      code: `ABCD-EFGH-${String(showId % 10_000)
        .replace(/[01]/g, "2")
        .padStart(4, "2")}`,
    };
  if (name === "createImport") return { fileName: `seen_episode_${showId}.csv`, sizeBytes: 1024 };
  if (name === "uploadImportPart")
    return { importId: `import-${showId}`, index: 0, data: Buffer.from("episode_id,created_at\n").toString("base64") };
  // Friends and DMs: a handle nobody holds (not-found), a conversation the caller is not in (permission-denied).
  if (name === "sendFriendRequest") return { handle: `nobody_${showId}` };
  if (name === "sendMessage") return { conversationId: `c${showId}`, clientMessageId: `m${showId}`, text: "hi" };
  const schema = z.toJSONSchema(byName[name].schema as z.ZodType, { unrepresentable: "any", io: "input" }) as JsonSchema;
  return fc.sample(validLooking(schema, { idBase: showId }), { numRuns: 1, seed: showId })[0];
}

const code = (outcome: Outcome) =>
  outcome.ok ? "ok" : outcome.error instanceof HttpsError ? outcome.error.code : `crash: ${String(outcome.error)}`;

it("covers the enrichment callables and markWatched (and every other callable that declares a budget)", () => {
  expect(Object.keys(byName)).toEqual(expect.arrayContaining(["enrichShow", "enrichLibrary", "markWatched"]));
});

/** The named budgets are set to BUDGET above; a callable's own fixed policy keeps its burst. */
const budgetOf = (policy: RateLimitPolicyName | RateLimitPolicy) =>
  typeof policy === "string" ? BUDGET : Math.max(1, policy.burst || policy.perMinute);

describe.each(limited)("$name", ({ name, fn }) => {
  it("allows its burst of calls in a tight loop, then answers resource-exhausted without calling TMDB or writing", async () => {
    const uid = freshUid("loop");
    const showId = freshShow();
    await seedUser(db, uid, showId);
    for (let i = 0; i < budgetOf(fn.rateLimit as RateLimitPolicyName | RateLimitPolicy); i++) {
      // Each of these reaches the limiter (a payload that fails validation would not spend a token).
      expect(code(await invoke(fn, validPayload(name, freshShow()), authFor(uid)))).not.toMatch(
        /resource-exhausted|invalid-argument|internal|crash/,
      );
    }
    const tree = await treeOf(db, uid);
    const tmdbBefore = (await fake.stats()).total;

    const throttled = await invoke(fn, validPayload(name, showId), authFor(uid));

    expect(code(throttled)).toBe("resource-exhausted");
    const error = (throttled as { error: HttpsError }).error;
    expect(error.details).toMatchObject({ policy: expect.any(String), retryAfterSeconds: expect.any(Number) });
    expect((error.details as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect((await fake.stats()).total).toBe(tmdbBefore);
    expect(await treeOf(db, uid)).toBe(tree);

    // Another user is not affected by this user's loop.
    const other = freshUid("other");
    await seedUser(db, other, showId);
    expect(code(await invoke(fn, validPayload(name, showId), authFor(other)))).not.toMatch(/resource-exhausted|internal|crash/);
  });
});

describe("the enrichment budget", () => {
  it("is shared by enrichShow and enrichLibrary", async () => {
    const uid = freshUid("shared");
    await seedUser(db, uid, freshShow());
    for (let i = 0; i < BUDGET; i++) expect(code(await invoke(byName.enrichShow, { showId: freshShow() }, authFor(uid)))).toBe("ok");
    expect(code(await invoke(byName.enrichLibrary, {}, authFor(uid)))).toBe("resource-exhausted");
  });

  it("lets exactly the budget through when one user fires many calls at once", async () => {
    const uid = freshUid("burst");
    const results = await Promise.all(Array.from({ length: 12 }, () => invoke(byName.enrichShow, { showId: freshShow() }, authFor(uid))));
    const codes = results.map(code);
    // Contention between one user's own transactions may turn a call away early, never let one extra through.
    expect(codes.filter((c) => c === "ok").length).toBeLessThanOrEqual(BUDGET);
    expect(codes.filter((c) => c === "ok").length).toBeGreaterThanOrEqual(1);
    expect(codes.filter((c) => c !== "ok").every((c) => c === "resource-exhausted")).toBe(true);
  });

  it("does not count invalid payloads, which never reach the limiter", async () => {
    const uid = freshUid("invalid");
    for (let i = 0; i < BUDGET * 3; i++)
      expect(code(await invoke(byName.enrichShow, { showId: -i }, authFor(uid)))).toBe("invalid-argument");
    expect((await rateLimitRef(db, uid).get()).exists).toBe(false);
    expect(code(await invoke(byName.enrichShow, { showId: freshShow() }, authFor(uid)))).toBe("ok");
  });

  it("keeps its state server-side under ops/, one document per user", async () => {
    const uid = freshUid("state");
    await invoke(byName.enrichShow, { showId: freshShow() }, authFor(uid));
    const state = await rateLimitRef(db, uid).get();
    expect(state.ref.path).toBe(`ops/rate_limits/users/${uid}`);
    expect(state.get("enrichment")).toMatchObject({ tokens: BUDGET - 1 });
    // The TTL field (firestore.indexes.json) that lets Firestore drop idle buckets: a day after the last call.
    const lastCall = (state.get("enrichment") as { updatedAt: Timestamp }).updatedAt.toMillis();
    expect((state.get("expiresAt") as Timestamp).toMillis() - lastCall).toBe(24 * 60 * 60 * 1000);
  });
});

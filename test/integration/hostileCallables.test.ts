import { inspect } from "node:util";
import fc from "fast-check";
import { deleteApp, getApp, initializeApp } from "firebase-admin/app";
import { getFirestore, type Firestore } from "firebase-admin/firestore";
import { HttpsError } from "firebase-functions/v2/https";
import { z } from "zod";
import * as exported from "../../functions/src/index";
import { startFakeTmdb, type FakeTmdb } from "../../tools/fake-tmdb/server";
import { hostilePayload, TEN_MB, validLooking, VICTIM_UID, type JsonSchema } from "./hostileArbitraries";
import { authFor, discoverCallables, invoke, inProcessHandlerEnv, projectId, seedUser, treeOf } from "./hostileHarness";

/**
 * Every callable exported from functions/src/index.ts — found by shape, so callables added later are
 * covered without editing this file — runs its real handler in-process against the Firestore emulator
 * and an in-process fake TMDB, under random and adversarial payloads.
 */
// Per callable and run: random payloads with new seeds every run, so CI accumulates coverage;
// HOSTILE_FUZZ_RUNS=200 for a deeper run.
const FUZZ_RUNS = Number(process.env.HOSTILE_FUZZ_RUNS ?? 25);
// permission-denied: a profileId the caller may not act on, a household action that is the owner's, a conversation
// that is not the caller's; already-exists: a handle another user holds (CONTRACT §9, §10).
const ALLOWED_CODES = [
  "invalid-argument",
  "not-found",
  "failed-precondition",
  "resource-exhausted",
  "unavailable",
  "permission-denied",
  "already-exists",
];
const callables = discoverCallables(exported);

function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  return z.toJSONSchema(schema, { unrepresentable: "any", io: "input" }) as JsonSchema;
}

/** What `describeValidationError` must start with: the first issue's path, or `payload` for the whole payload. */
function expectedFieldPrefix(error: z.ZodError): string {
  const path = error.issues[0]?.path ?? [];
  return path.length ? String(path[0]).slice(0, 64) : "payload";
}

let db: Firestore;
let fake: FakeTmdb;
const crashes: unknown[][] = [];

beforeAll(async () => {
  fake = await startFakeTmdb({ port: 0 });
  inProcessHandlerEnv(fake.url);
  initializeApp({ projectId: projectId() });
  db = getFirestore(getApp());
  await seedUser(db, VICTIM_UID);
  // Unexpected errors are logged as "callable crashed" (then answered `internal`): none may happen.
  const logger = jest.requireActual<Record<string, (...args: unknown[]) => void>>("firebase-functions/logger");
  for (const level of ["debug", "info", "log", "warn"]) jest.spyOn(logger, level).mockImplementation(() => undefined);
  jest.spyOn(logger, "error").mockImplementation((...args: unknown[]) => void crashes.push(args));
});
afterAll(async () => {
  jest.restoreAllMocks();
  await fake.close();
  await deleteApp(getApp());
});

it("finds the contract's callables, each defined through defineCallable (so its schema is known)", () => {
  const names = callables.map((c) => c.name);
  expect(names).toEqual(expect.arrayContaining(["enrichShow", "enrichLibrary"]));
  for (const { name, fn } of callables) {
    expect({ name, hasSchema: fn.schema instanceof z.ZodType, callableName: fn.callableName }).toEqual({
      name,
      hasSchema: true,
      callableName: name,
    });
  }
});

describe.each(callables)("$name", ({ name, fn }) => {
  const schema = fn.schema as z.ZodType;
  const jsonSchema = jsonSchemaOf(schema);

  /**
   * The contract's promise, payload by payload: a contract code (never internal), the field named,
   * and nothing written when it rejects. Invalid payloads never reach a handler, so the user's tree is
   * compared once per run of them (before the next valid payload, and at the end) rather than after
   * each: the snapshot is most of a run's cost.
   */
  function checker(uid: string, initialTree: string) {
    let before = initialTree;
    let rejectedSinceSnapshot: unknown[] = [];
    const settle = async () => {
      if (rejectedSinceSnapshot.length === 0) return;
      const now = await treeOf(db, uid);
      if (now !== before)
        throw new Error(
          `one of these rejected payloads wrote to users/${uid}: ${inspect(rejectedSinceSnapshot, { depth: 3, maxStringLength: 80 })}`,
        );
      rejectedSinceSnapshot = [];
    };
    const check = async (payload: unknown): Promise<void> => {
      let validity: ReturnType<typeof schema.safeParse>;
      try {
        // As the trigger layer does: no payload (the client SDK sends null) is an empty object.
        validity = schema.safeParse(payload ?? {});
      } catch (error) {
        throw new Error(`${name}'s schema throws on a hostile payload instead of rejecting it: ${String(error)}`);
      }
      if (validity.success) await settle();
      const outcome = await invoke(fn, payload, authFor(uid));
      expect(crashes).toEqual([]);
      if (outcome.ok) {
        // Only a payload the schema accepts may get through, and then it may write.
        expect(validity.success).toBe(true);
        before = await treeOf(db, uid);
        return;
      }
      const error = outcome.error;
      expect(error).toBeInstanceOf(HttpsError);
      const { code, message } = error as HttpsError;
      expect(ALLOWED_CODES).toContain(code);
      expect(message.length).toBeLessThan(400);
      if (validity.success) {
        expect(await treeOf(db, uid)).toBe(before);
        return;
      }
      expect(code).toBe("invalid-argument");
      expect(message.startsWith(`${expectedFieldPrefix(validity.error)}`)).toBe(true);
      rejectedSinceSnapshot.push(payload);
    };
    return { check, settle };
  }

  it(`answers ${FUZZ_RUNS} hostile payloads with a contract code, naming the field, writing nothing when it rejects`, async () => {
    const uid = `fuzz-${name}-${Math.random().toString(36).slice(2, 8)}`;
    await seedUser(db, uid);
    const victimBefore = await treeOf(db, VICTIM_UID);
    const { check, settle } = checker(uid, await treeOf(db, uid));
    await fc.assert(fc.asyncProperty(hostilePayload(jsonSchema), check), { numRuns: FUZZ_RUNS });
    await settle();
    // Payloads carried uid/userId/paths naming the victim: the victim's data must be untouched.
    expect(await treeOf(db, VICTIM_UID)).toBe(victimBefore);
  }, 180_000);

  it("rejects 10 MB strings in the payload and in every field", async () => {
    const uid = `big-${name}-${Math.random().toString(36).slice(2, 8)}`;
    await seedUser(db, uid);
    const { check, settle } = checker(uid, await treeOf(db, uid));
    const fields = Object.keys(jsonSchema.properties ?? {}).slice(0, 3);
    for (const payload of [
      TEN_MB,
      { [fields[0] ?? "showId"]: TEN_MB },
      ...fields.slice(1).map((field) => ({ [field]: TEN_MB })),
      { [TEN_MB.slice(0, 1_000_000)]: 1 },
    ]) {
      await check(payload);
    }
    await settle();
  }, 60_000);

  it("names the field when any one field of a valid-looking payload is hostile", async () => {
    const uid = `field-${name}-${Math.random().toString(36).slice(2, 8)}`;
    // The sampler ignores patterns and may leave out every optional field a cross-field rule needs (a
    // message's text or share): start from the first sample the schema accepts.
    const samples = fc.sample(validLooking(jsonSchema), { numRuns: 50, seed: 7 }) as Record<string, unknown>[];
    const base = samples.find((sample) => schema.safeParse(sample).success) ?? samples[0];
    const hostile: unknown[] = [
      NaN,
      -1,
      1.5,
      2 ** 53,
      "1",
      "a/b",
      "..",
      "__x__",
      null,
      [],
      {},
      true,
      Array(1001).fill(1),
      JSON.parse('{"__proto__":{"x":1}}'),
    ];
    for (const field of Object.keys(jsonSchema.properties ?? {})) {
      for (const value of hostile) {
        const payload = { ...base, [field]: value };
        if (schema.safeParse(payload).success) continue;
        const outcome = await invoke(fn, payload, authFor(uid));
        expect({ field, value, outcome: outcome.ok ? "ok" : (outcome.error as HttpsError).code }).toEqual({
          field,
          value,
          outcome: "invalid-argument",
        });
        // The path of the issue leads, and a cross-field rule (e.g. position ≤ duration) still names this field.
        expect((outcome as { error: HttpsError }).error.message).toContain(field);
      }
    }
    expect(await treeOf(db, uid)).toBe("");
  });

  it("rejects a missing or unusable request.auth with unauthenticated, whatever the payload", async () => {
    const anyPayload = fc.oneof(hostilePayload(jsonSchema), validLooking(jsonSchema));
    await fc.assert(
      fc.asyncProperty(
        anyPayload,
        fc.constantFrom(undefined, "", "a/b", "..", ".", "__victim__", "x".repeat(200)),
        async (payload, uid) => {
          const outcome = await invoke(fn, payload, uid === undefined ? undefined : authFor(uid));
          expect(outcome.ok).toBe(false);
          expect((outcome as { error: HttpsError }).error).toBeInstanceOf(HttpsError);
          expect((outcome as { error: HttpsError }).error.code).toBe("unauthenticated");
        },
      ),
      { numRuns: 30 },
    );
  });
});

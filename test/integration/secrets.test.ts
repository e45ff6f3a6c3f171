import { randomBytes } from "node:crypto";
import { inspect } from "node:util";
import fc from "fast-check";
import { deleteApp, initializeApp, type App } from "firebase-admin/app";
import { getFirestore } from "firebase-admin/firestore";
import { z } from "zod";
import type * as TmdbClientModule from "../../functions/src/tmdb/client";
import { FAULT_KINDS, startFakeTmdb, type FakeTmdb } from "../../tools/fake-tmdb/server";
import { validLooking, type JsonSchema } from "./hostileArbitraries";
import { authFor, discoverCallables, invoke, loadFunctionsEnv, projectId, seedUser, type Outcome } from "./hostileHarness";

/**
 * README: Deploy, params: the TMDB credential never appears in a log line, an error message or a response.
 * Every callable runs in-process against a fake TMDB that fails in every way it can (401, 429, 5xx,
 * timeouts, resets, malformed bodies), with a v3 key and with a v4 read token, and everything the
 * process wrote or answered is searched for the credentials.
 */
const base64url = (data: Buffer | string) => Buffer.from(data).toString("base64url");
const v3Key = () => randomBytes(16).toString("hex");
const v4Token = () =>
  `eyJhbGciOiJIUzI1NiJ9.${base64url(JSON.stringify({ aud: v3Key(), sub: randomBytes(12).toString("hex"), scopes: ["api_read"], version: 1 }))}.${base64url(randomBytes(32))}`;

const accepted = { v3: v3Key(), v4: v4Token() };
const rejected = { v3: v3Key(), v4: v4Token() };
const ALL_SECRETS = [accepted.v3, accepted.v4, rejected.v3, rejected.v4];

let fake: FakeTmdb;
let seedApp: App;
beforeAll(async () => {
  fake = await startFakeTmdb({ port: 0, apiKey: accepted.v3, readToken: accepted.v4 });
  seedApp = initializeApp({ projectId: projectId() }, `secrets-${Math.random()}`);
});
afterAll(async () => {
  await fake.close();
  await deleteApp(seedApp);
});

/** Everything a run wrote to the logger, the console and the process streams. */
function captureOutput(logger: Record<string, unknown>): { text: () => string; restore: () => void } {
  const lines: string[] = [];
  const record = (...args: unknown[]) =>
    void lines.push(args.map((arg) => (typeof arg === "string" ? arg : inspect(arg, { depth: 8 }))).join(" "));
  const spies = [
    ...["debug", "info", "log", "warn", "error", "write"].map((level) =>
      jest.spyOn(logger as Record<string, (...args: unknown[]) => void>, level).mockImplementation(record),
    ),
    ...(["debug", "info", "log", "warn", "error"] as const).map((level) => jest.spyOn(console, level).mockImplementation(record)),
    jest.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => (record(String(chunk)), true)),
    jest.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => (record(String(chunk)), true)),
  ];
  return { text: () => lines.join("\n"), restore: () => spies.forEach((spy) => spy.mockRestore()) };
}

/** Every way an outcome can reach a client or an operator: message, details, JSON, stack, result. */
function outcomeText(outcome: Outcome): string {
  if (outcome.ok) return JSON.stringify(outcome.value, (_key, value: unknown) => (typeof value === "bigint" ? value.toString() : value));
  const error = outcome.error as Error & { details?: unknown; toJSON?: () => unknown };
  return [
    String(error),
    error.message,
    error.stack,
    JSON.stringify(error.details),
    JSON.stringify(error.toJSON?.()),
    inspect(error, { depth: 8 }),
  ].join("\n");
}

/** The credential, and every 12-character slice of it, so a clipped or partial leak counts too. */
function leaks(text: string): string[] {
  return ALL_SECRETS.flatMap((secret) => Array.from({ length: secret.length - 11 }, (_, i) => secret.slice(i, i + 12))).filter((slice) =>
    text.includes(slice),
  );
}

interface RunResult {
  output: string;
  codes: string[];
}

/**
 * One function instance (a fresh module registry, so its context is built from these params) with
 * fast retries, calling every callable with a valid-looking payload under each fault in turn.
 */
async function runInstance(credential: string, faults: readonly (string | undefined)[]): Promise<RunResult> {
  const uid = `secrets-${Math.random().toString(36).slice(2, 10)}`;
  // Shows nobody has cached yet, so every callable that needs TMDB data has to ask it.
  const idBase = 3_000_000 + Math.floor(Math.random() * 6_000_000);
  await seedUser(getFirestore(seedApp), uid, idBase);
  const texts: string[] = [];
  const codes: string[] = [];
  await jest.isolateModulesAsync(async () => {
    process.env.TMDB_API_KEY = credential;
    process.env.TMDB_BASE_URL = fake.url;
    loadFunctionsEnv();
    process.env.RATE_LIMIT_ENRICH_PER_MINUTE = "0";
    process.env.RATE_LIMIT_IMPORT_PER_MINUTE = "0";
    jest.doMock("../../functions/src/tmdb/client", () => {
      const actual = jest.requireActual<typeof TmdbClientModule>("../../functions/src/tmdb/client");
      class FastRetries extends actual.TmdbClient {
        constructor(options: TmdbClientModule.TmdbClientOptions) {
          super({ ...options, timeoutMs: 250, retryBaseMs: 5, maxRetryDelayMs: 20, maxRetries: 1, maxRequestsPerSecond: 0 });
        }
      }
      return { ...actual, TmdbClient: FastRetries };
    });
    // The raw module object (this registry's), whose functions every log call goes through.
    const capture = captureOutput(jest.requireActual("firebase-functions/logger"));
    try {
      const callables = discoverCallables(await import("../../functions/src/index"));
      expect(callables.length).toBeGreaterThan(1);
      for (const fault of faults) {
        await fake.clearFaults();
        if (fault) await fake.addFault({ kind: fault as (typeof FAULT_KINDS)[number] });
        for (const { fn } of callables) {
          const schema = z.toJSONSchema(fn.schema as z.ZodType, { unrepresentable: "any", io: "input" }) as JsonSchema;
          const [payload] = fc.sample(validLooking(schema, { idBase }), { numRuns: 1, seed: 11 });
          const outcome = await invoke(fn, payload, authFor(uid));
          codes.push(outcome.ok ? "ok" : String((outcome.error as { code?: unknown }).code));
          texts.push(outcomeText(outcome));
        }
      }
      texts.push(capture.text());
    } finally {
      capture.restore();
      await fake.clearFaults();
      const admin = await import("firebase-admin/app");
      await Promise.all(admin.getApps().map((app) => admin.deleteApp(app)));
    }
  });
  return { output: texts.join("\n"), codes };
}

describe.each([
  ["a v3 API key", "v3"],
  ["a v4 read token", "v4"],
] as const)("with %s", (_label, form) => {
  it("no log line, error or response carries the credential while TMDB fails in every way", async () => {
    // Faults first: a success would cache the shows and later calls would not reach TMDB.
    const run = await runInstance(accepted[form], [...FAULT_KINDS, undefined]);
    expect(leaks(run.output)).toEqual([]);
    // Not vacuous: the logs were captured, the credential was sent, the failures surfaced as contract errors.
    expect(run.output).toContain("tmdb request");
    if (form === "v3") expect((await fake.requests()).some((r) => r.query.api_key === accepted.v3)).toBe(true);
    expect(run.codes).toEqual(expect.arrayContaining(["unavailable"]));
    expect(run.codes).not.toContain("internal");
  });

  it("nor when TMDB rejects the credential (HTTP 401)", async () => {
    const run = await runInstance(rejected[form], [undefined]);
    expect(leaks(run.output)).toEqual([]);
    expect(run.output).toContain("HTTP 401");
    expect(run.codes).toContain("unavailable");
    expect(run.codes).not.toContain("internal");
  });
});

import { deleteApp, getApps } from "firebase-admin/app";
import { HttpsError } from "firebase-functions/v2/https";
import { z } from "zod";
import { defineCallable } from "../../functions/src/callables/defineCallable";
import { AppError } from "../../functions/src/shared/errors";
import { redactDeep, redactSecrets, REDACTED } from "../../functions/src/security/redact";
import { describeValidationError, documentIdSchema } from "../../functions/src/shared/validation";

const KEY = "0123456789abcdef0123456789abcdef";
/** The logger's own module object: every log call of the functions goes through its properties. */
const logger = jest.requireActual<Record<"error" | "warn", (...args: unknown[]) => void>>("firebase-functions/logger");
const TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJhdWQiOiJ4In0.c2lnbmF0dXJl";

describe("redactSecrets", () => {
  it("removes known secrets and anything shaped like a TMDB credential", () => {
    expect(redactSecrets(`key ${KEY} here`, [KEY])).toBe(`key ${REDACTED} here`);
    expect(redactSecrets("GET /3/tv/1?api_key=abc123&language=en", [])).toBe(`GET /3/tv/1?api_key=${REDACTED}&language=en`);
    expect(redactSecrets(`Authorization: Bearer ${TOKEN}`, [])).toBe(`Authorization: Bearer ${REDACTED}`);
    expect(redactSecrets(`token=${TOKEN}`, [])).toBe(`token=${REDACTED}`);
    expect(redactSecrets("TMDB refused /tv/1 (HTTP 500)", [KEY])).toBe("TMDB refused /tv/1 (HTTP 500)");
  });

  it("reaches into error details", () => {
    expect(redactDeep({ url: `https://x/3?api_key=${KEY}`, nested: [{ note: KEY }], n: 1 }, [KEY])).toEqual({
      url: `https://x/3?api_key=${REDACTED}`,
      nested: [{ note: REDACTED }],
      n: 1,
    });
  });
});

describe("describeValidationError", () => {
  it("names the field, and clips whatever a hostile payload put in keys", () => {
    const schema = z.strictObject({ items: z.array(z.object({ showId: z.number() })) });
    const nested = schema.safeParse({ items: [{ showId: "1" }] });
    expect(nested.success || describeValidationError(nested.error)).toMatch(/^items\.0\.showId: /);
    const root = schema.safeParse("nope");
    expect(root.success || describeValidationError(root.error)).toMatch(/^payload: /);
    const hostileKey = schema.safeParse({ items: [], ["k".repeat(100_000)]: 1 });
    expect(hostileKey.success || describeValidationError(hostileKey.error).length).toBeLessThan(300);
  });

  it("documentIdSchema refuses ids that would address another path", () => {
    for (const id of ["a/b", ".", "..", "__x__", "", "x".repeat(1501)]) expect(documentIdSchema.safeParse(id).success).toBe(false);
    for (const id of ["trakt_1", "tv_1_1_1", "_x_", "a.b"]) expect(documentIdSchema.safeParse(id).success).toBe(true);
  });
});

describe("the trigger layer", () => {
  const saved = process.env.TMDB_API_KEY;
  beforeAll(() => {
    process.env.TMDB_API_KEY = KEY;
  });
  afterAll(async () => {
    process.env.TMDB_API_KEY = saved;
    await Promise.all(getApps().map((app) => deleteApp(app)));
  });

  const run = (handler: () => Promise<never>) =>
    defineCallable({ name: "leaky", schema: z.object({}), handler })
      .run({ data: {}, auth: { uid: "u1", token: {} as never, rawToken: "t" }, rawRequest: {} as never, acceptsStreaming: false })
      .then(
        () => undefined,
        (error: unknown) => error as HttpsError,
      );

  it("answers internal without details and logs the crash with the key redacted", async () => {
    const error = jest.spyOn(logger, "error").mockImplementation(() => undefined);
    const thrown = await run(async () => {
      throw new Error(`GET https://api.themoviedb.org/3/tv/1?api_key=${KEY} failed`);
    });
    expect(thrown).toBeInstanceOf(HttpsError);
    expect(thrown?.code).toBe("internal");
    expect(JSON.stringify(thrown?.toJSON())).not.toContain(KEY);
    expect(JSON.stringify(error.mock.calls)).not.toContain(KEY);
    expect(JSON.stringify(error.mock.calls)).toContain("callable crashed");
    error.mockRestore();
  });

  it("redacts an expected error's message and details before they reach the client or the log", async () => {
    const warn = jest.spyOn(logger, "warn").mockImplementation(() => undefined);
    const thrown = await run(async () => {
      throw new AppError("unavailable", `TMDB said no to ${KEY}`, { url: `/3/tv/1?api_key=${KEY}` });
    });
    expect(thrown?.code).toBe("unavailable");
    expect(thrown?.message).toBe(`TMDB said no to ${REDACTED}`);
    expect(JSON.stringify(thrown?.toJSON())).not.toContain(KEY);
    expect(JSON.stringify(warn.mock.calls)).not.toContain(KEY);
    warn.mockRestore();
  });
});

import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { discoverCallables } from "../integration/hostileHarness";

/**
 * ENFORCE_APP_CHECK reaches every callable. firebase-functions resolves `enforceAppCheck` when the
 * function is defined (module load), and enforces it in the HTTP layer before our handler, which
 * `.run()` skips: so each case loads the functions with the param set, and calls them over HTTP.
 * Token signatures are not verified here (the SDK's `skipTokenVerification` debug feature), which is
 * what lets a test present an App Check token at all; presence, not validity, is what is tested.
 */
type HttpHandler = (req: unknown, res: unknown) => unknown;

const jwt = (payload: object) =>
  `${Buffer.from('{"alg":"none"}').toString("base64url")}.${Buffer.from(JSON.stringify(payload)).toString("base64url")}.`;
const ID_TOKEN = jwt({ sub: "app-check-user", aud: "demo-tvtracker", iss: "https://securetoken.google.com/demo-tvtracker" });
const APP_CHECK_TOKEN = jwt({ sub: "1:123:web:abc", aud: ["projects/demo-tvtracker"] });

async function loadCallables(enforce: boolean): Promise<Record<string, HttpHandler>> {
  let callables: Record<string, HttpHandler> = {};
  await jest.isolateModulesAsync(async () => {
    process.env.ENFORCE_APP_CHECK = String(enforce);
    process.env.FIREBASE_DEBUG_MODE = "true";
    process.env.FIREBASE_DEBUG_FEATURES = JSON.stringify({ skipTokenVerification: true });
    const discovered = discoverCallables(await import("../../functions/src/index"));
    callables = Object.fromEntries(discovered.map(({ name, fn }) => [name, fn as unknown as HttpHandler]));
  });
  return callables;
}

/** A bare HTTP server giving the callable the few express-style helpers it uses. */
async function serve(handler: HttpHandler): Promise<{ url: string; server: Server }> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      const request = Object.assign(req, {
        body: body ? JSON.parse(body) : undefined,
        header: (name: string) => req.headers[name.toLowerCase()],
        get: (name: string) => req.headers[name.toLowerCase()],
      });
      const response = Object.assign(res, {
        status: (code: number) => ((res.statusCode = code), response),
        send: (payload: unknown) => (res.setHeader("content-type", "application/json"), res.end(JSON.stringify(payload)), response),
      });
      void handler(request, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

async function callOverHttp(handler: HttpHandler, headers: Record<string, string>, data: unknown) {
  const { url, server } = await serve(handler);
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify({ data }),
    });
    return { status: response.status, body: (await response.json()) as { error?: { status: string; message: string } } };
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

// An invalid payload: when the handler runs it answers invalid-argument before touching Firestore.
const INVALID = { showId: -1 };
const signedIn = { authorization: `Bearer ${ID_TOKEN}` };
const withAppCheck = { ...signedIn, "x-firebase-appcheck": APP_CHECK_TOKEN };
const saved = { ...process.env };
beforeEach(() => jest.spyOn(console, "debug").mockImplementation(() => undefined));
afterEach(() => {
  process.env = { ...saved };
  jest.restoreAllMocks();
});

describe("ENFORCE_APP_CHECK=true", () => {
  it("every callable refuses a request without an App Check token before its handler runs", async () => {
    const callables = await loadCallables(true);
    expect(Object.keys(callables).length).toBeGreaterThan(1);
    for (const [name, handler] of Object.entries(callables)) {
      const { status, body } = await callOverHttp(handler, signedIn, INVALID);
      expect({ name, status, error: body.error?.status }).toEqual({ name, status: 401, error: "UNAUTHENTICATED" });
    }
  });

  it("lets a request with an App Check token through to validation", async () => {
    const { enrichShow } = await loadCallables(true);
    const { status, body } = await callOverHttp(enrichShow, withAppCheck, INVALID);
    expect({ status, error: body.error?.status }).toEqual({ status: 400, error: "INVALID_ARGUMENT" });
    expect(body.error?.message).toContain("showId");
  });
});

describe("ENFORCE_APP_CHECK=false (the default)", () => {
  it("every callable serves a signed-in request without an App Check token", async () => {
    const callables = await loadCallables(false);
    for (const [name, handler] of Object.entries(callables)) {
      const { status, body } = await callOverHttp(handler, signedIn, "not an object");
      expect({ name, status, error: body.error?.status }).toEqual({ name, status: 400, error: "INVALID_ARGUMENT" });
    }
  });

  it("still requires Firebase Auth", async () => {
    const { enrichShow } = await loadCallables(false);
    const { status, body } = await callOverHttp(enrichShow, {}, { showId: 1 });
    expect({ status, error: body.error?.status }).toEqual({ status: 401, error: "UNAUTHENTICATED" });
    expect(body.error?.message).toContain("signed-in user");
  });
});

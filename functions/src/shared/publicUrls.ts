import { defineString } from "firebase-functions/params";
import { REGION } from "./config";

/**
 * The URLs this backend hands out for other programs to call (the calendar feed, media-server
 * webhooks): one rule for all of them.
 *
 * `PUBLIC_FUNCTIONS_URL`: where the deployed functions are reachable, e.g.
 * `https://us-central1-my-project.cloudfunctions.net` (a custom domain in front of them works too).
 * `auto` or empty (the default): derived from the project, or, when emulated, from the running Functions
 * emulator's own address (`emulatedFunctionsOrigin`). (An empty param default would make the CLI prompt.)
 */
export const PUBLIC_FUNCTIONS_URL = defineString("PUBLIC_FUNCTIONS_URL", { default: "auto" });

/** The public URL of the function exported as `functionName`. */
export async function publicFunctionUrl(functionName: string): Promise<string> {
  const configured = PUBLIC_FUNCTIONS_URL.value() === "auto" ? "" : PUBLIC_FUNCTIONS_URL.value();
  const project = process.env.GCLOUD_PROJECT ?? "demo-tvtracker";
  const base =
    configured ||
    (process.env.FUNCTIONS_EMULATOR === "true"
      ? `${await emulatedFunctionsOrigin()}/${project}/${REGION}`
      : `https://${REGION}-${project}.cloudfunctions.net`);
  return `${base.replace(/\/+$/, "")}/${functionName}`;
}

/** The emulator suite's default Functions address, used when the hub cannot be asked. */
const DEFAULT_EMULATED_ORIGIN = "http://127.0.0.1:5001";
let emulatedOrigin: Promise<string> | undefined;

/**
 * The Functions emulator's own `http://host:port`. The emulator does not tell a function where it listens,
 * but it sets `FIREBASE_EMULATOR_HUB` (host:port of the emulator hub) in every function, and the hub's
 * `GET /emulators` lists each running emulator with its host and port: so the URL follows whatever port
 * the suite runs on (firebase.json, `EMULATOR_PORT_OFFSET`). Asked once per instance.
 */
export function emulatedFunctionsOrigin(hub = process.env.FIREBASE_EMULATOR_HUB): Promise<string> {
  emulatedOrigin ??= askHub(hub);
  return emulatedOrigin;
}

async function askHub(hub: string | undefined): Promise<string> {
  if (!hub) return DEFAULT_EMULATED_ORIGIN;
  try {
    const response = await fetch(`http://${hub}/emulators`, { signal: AbortSignal.timeout(5_000) });
    return functionsOriginFromHub(await response.json()) ?? DEFAULT_EMULATED_ORIGIN;
  } catch {
    return DEFAULT_EMULATED_ORIGIN;
  }
}

/** The Functions emulator's origin in the hub's `/emulators` answer, or null. Pure. */
export function functionsOriginFromHub(emulators: unknown): string | null {
  const functions = (emulators as { functions?: { host?: unknown; port?: unknown } } | null)?.functions;
  const { host, port } = functions ?? {};
  if (typeof host !== "string" || !host || !Number.isInteger(port)) return null;
  const bare = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host;
  return `http://${bare.includes(":") ? `[${bare}]` : bare}:${String(port)}`;
}

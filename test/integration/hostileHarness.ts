import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { DecodedIdToken } from "firebase-admin/auth";
import { Timestamp, type DocumentReference, type DocumentSnapshot, type Firestore } from "firebase-admin/firestore";
import type { CallableRequest } from "firebase-functions/v2/https";
import type { z } from "zod";

/**
 * Runs exported callables in-process, through their real trigger layer (`.run`), the way the
 * security tests need: any auth, any payload, with the Firestore emulator behind them.
 */
export interface DiscoveredCallable {
  run(request: CallableRequest<unknown>): Promise<unknown>;
  __endpoint: { callableTrigger?: object };
  callableName?: string;
  schema?: z.ZodType;
  rateLimit?: unknown;
}

function isCallable(value: unknown): value is DiscoveredCallable {
  const candidate = value as Partial<DiscoveredCallable> | undefined;
  if (typeof value !== "function" || typeof candidate?.run !== "function") return false;
  try {
    return candidate.__endpoint?.callableTrigger !== undefined;
  } catch {
    // A v1 event trigger (the Auth onDelete) builds its endpoint from GCLOUD_PROJECT, unset in unit tests: not a callable.
    return false;
  }
}

/** The `onCall` exports of a module (functions/src/index.ts): what clients can call, found by shape. */
export function discoverCallables(exported: object): { name: string; fn: DiscoveredCallable }[] {
  return Object.entries(exported as Record<string, unknown>).flatMap(([name, fn]) => (isCallable(fn) ? [{ name, fn }] : []));
}

export const projectId = () => process.env.TEST_PROJECT_ID ?? "demo-tvtracker";

/**
 * The params the deployed functions get from functions/.env (the runtime reads them from
 * process.env); without them every int param would read 0 (e.g. a cache TTL of 0 days).
 */
export function loadFunctionsEnv(): void {
  const text = readFileSync(join(__dirname, "../../functions/.env"), "utf8");
  for (const line of text.split("\n")) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (match && process.env[match[1]] === undefined) process.env[match[1]] = match[2];
  }
}

/**
 * Points the real handlers, run in process, at `tmdbUrl` (they build their context from params, which read
 * process.env at call time), gives every other param its functions/.env value, and turns the per-user
 * budgets off (they are tested in hostileRateLimit.test.ts), so every request reaches its handler.
 */
export function inProcessHandlerEnv(tmdbUrl: string): void {
  process.env.TMDB_BASE_URL = tmdbUrl;
  process.env.TMDB_API_KEY = "fake-tmdb-key";
  loadFunctionsEnv();
  process.env.RATE_LIMIT_ENRICH_PER_MINUTE = "0";
  process.env.RATE_LIMIT_IMPORT_PER_MINUTE = "0";
}

export function authFor(uid: string): CallableRequest["auth"] {
  const token: DecodedIdToken = {
    uid,
    sub: uid,
    aud: projectId(),
    iss: `https://securetoken.google.com/${projectId()}`,
    iat: 0,
    exp: 0,
    auth_time: 0,
    firebase: { identities: {}, sign_in_provider: "anonymous" },
  };
  return { uid, token, rawToken: "unsigned" };
}

export type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

export async function invoke(fn: DiscoveredCallable, data: unknown, auth: CallableRequest["auth"]): Promise<Outcome> {
  const rawRequest = { headers: {}, header: () => undefined } as unknown as CallableRequest["rawRequest"];
  try {
    return { ok: true, value: await fn.run({ data, auth, rawRequest, acceptsStreaming: false }) };
  } catch (error) {
    return { ok: false, error };
  }
}

/** Every existing document under users/{uid} (the user document included), read in one batch. */
export async function userDocuments(db: Firestore, uid: string): Promise<DocumentSnapshot[]> {
  const refs: DocumentReference[] = [];
  const walk = async (ref: DocumentReference): Promise<void> => {
    refs.push(ref);
    const children = (await Promise.all((await ref.listCollections()).map((collection) => collection.listDocuments()))).flat();
    await Promise.all(children.map(walk));
  };
  await walk(db.collection("users").doc(uid));
  return (await db.getAll(...refs)).filter((snapshot) => snapshot.exists);
}

/** Every document under users/{uid}, with its update time and contents, in a stable order. */
export async function treeOf(db: Firestore, uid: string): Promise<string> {
  const snapshots = await userDocuments(db, uid);
  return snapshots
    .map(
      (snapshot) =>
        `${snapshot.ref.path} @${snapshot.updateTime?.seconds}.${snapshot.updateTime?.nanoseconds} ${stableJson(snapshot.data())}`,
    )
    .sort()
    .join("\n");
}

function stableJson(value: unknown): string {
  if (value instanceof Timestamp) return `ts(${value.seconds}.${value.nanoseconds})`;
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const record = value as Record<string, unknown>;
    return `{${Object.keys(record)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${stableJson(record[key])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value) ?? "undefined";
}

const watchedAt = Timestamp.fromMillis(Date.parse("2024-03-01T20:00:00Z"));

/** A small library touching every per-user collection, so a stray write anywhere shows up. */
export async function seedUser(db: Firestore, uid: string, showId = 7): Promise<void> {
  const user = db.collection("users").doc(uid);
  await Promise.all([
    user
      .collection("episode_tracking")
      .doc(String(showId))
      .set({ episodes: { "1_1": { watched: true, watchedAt }, "1_2": { watched: false, watchedAt } } }),
    user
      .collection("history")
      .doc("trakt_1")
      .set({ showId, season: 1, episode: 1, watchedAt, source: "trakt", sourceId: "1", action: "watch" }),
    user
      .collection("playback")
      .doc(`tv_${showId}_1_2`)
      .set({
        media: { type: "episode", showId, season: 1, episode: 2 },
        positionSeconds: 600,
        durationSeconds: 2400,
        watchedSeconds: 600,
        completionPercentage: 25,
        watched: false,
        lastWatchedAt: watchedAt,
        updatedAt: watchedAt,
      }),
    user.collection("reactions").doc(`${showId}_1_1`).set({ type: "like", updatedAt: watchedAt }),
  ]);
}

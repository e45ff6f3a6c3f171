import { Timestamp, type DocumentReference, type Firestore } from "firebase-admin/firestore";
import type { RuntimeConfig } from "../shared/config";
import { AppError } from "../shared/errors";

/**
 * A per-user token bucket: `perMinute` calls a minute on average, bursts of up to `burst` (default
 * `perMinute`). Callables naming the same policy share one budget. `perMinute <= 0` turns it off.
 * A token bucket rather than a fixed window: no boundary where a client gets twice the budget.
 */
export interface RateLimitPolicy {
  name: string;
  perMinute: number;
  burst?: number;
}

/**
 * The named budgets of the callables that spend TMDB quota, from the instance's config (config.ts):
 * `enrichment` (enrichShow, enrichLibrary, markWatched) and `import` (syncHistory, importCsv, ...).
 */
export type RateLimitPolicyName = keyof RuntimeConfig["rateLimits"];

export function resolvePolicy(policy: RateLimitPolicyName | RateLimitPolicy, budgets: RuntimeConfig["rateLimits"]): RateLimitPolicy {
  return typeof policy === "string" ? { name: policy, ...budgets[policy] } : policy;
}

/**
 * `ops/rate_limits/users/{uid}`: one field per policy, and `expiresAt`, the TTL field (firestore.indexes.json,
 * collection group `users`: only these documents carry it) that lets Firestore delete the buckets of users
 * who stopped calling. Admin SDK only (firestore.rules deny it).
 */
export const rateLimitRef = (db: Firestore, uid: string): DocumentReference =>
  db.collection("ops").doc("rate_limits").collection("users").doc(uid);

export interface Bucket {
  tokens: number;
  updatedAt: Timestamp;
}

export type TakeResult = { allowed: true; bucket: Bucket } | { allowed: false; retryAfterSeconds: number };

/** Pure: refill the bucket for the time elapsed since it was last touched, then try to take one token. */
export function takeToken(previous: Bucket | undefined, policy: RateLimitPolicy, now: Date): TakeResult {
  const capacity = Math.max(1, policy.burst || policy.perMinute);
  const perMs = policy.perMinute / 60_000;
  // A clock that went backwards refills nothing rather than going negative.
  const elapsedMs = previous ? Math.max(0, now.getTime() - previous.updatedAt.toMillis()) : Infinity;
  const available = previous ? Math.min(capacity, previous.tokens + elapsedMs * perMs) : capacity;
  if (available >= 1) return { allowed: true, bucket: { tokens: available - 1, updatedAt: Timestamp.fromDate(now) } };
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - available) / perMs / 1000)) };
}

const ABORTED = 10;

/** Any bucket refills completely within minutes; a day idle means it holds nothing worth keeping. */
const BUCKET_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * Takes one call from the caller's budget in one transaction, or throws `resource-exhausted` without
 * writing. A denied call writes nothing, so a client hammering the callable costs one read a call.
 */
export async function consumeRateLimit(db: Firestore, uid: string, policy: RateLimitPolicy, now: Date): Promise<void> {
  if (!(policy.perMinute > 0)) return;
  const ref = rateLimitRef(db, uid);
  let result: TakeResult;
  try {
    result = await db.runTransaction(async (tx) => {
      const snapshot = await tx.get(ref);
      const previous = snapshot.get(policy.name) as Bucket | undefined;
      const taken = takeToken(isBucket(previous) ? previous : undefined, policy, now);
      if (taken.allowed)
        tx.set(ref, { [policy.name]: taken.bucket, expiresAt: Timestamp.fromMillis(now.getTime() + BUCKET_TTL_MS) }, { merge: true });
      return taken;
    });
  } catch (error) {
    // Only one user's concurrent calls contend on this document: that user is hammering us.
    if ((error as { code?: unknown }).code === ABORTED) throw tooMany(policy, 1);
    throw error;
  }
  if (!result.allowed) throw tooMany(policy, result.retryAfterSeconds);
}

function tooMany(policy: RateLimitPolicy, retryAfterSeconds: number): AppError {
  return new AppError("resource-exhausted", `Too many ${policy.name} requests; try again in ${retryAfterSeconds} s`, {
    policy: policy.name,
    retryAfterSeconds,
  });
}

function isBucket(value: unknown): value is Bucket {
  const bucket = value as Bucket | undefined;
  return typeof bucket?.tokens === "number" && Number.isFinite(bucket.tokens) && bucket.updatedAt instanceof Timestamp;
}

import { FieldValue, Timestamp, type DocumentReference, type DocumentSnapshot, type Firestore } from "firebase-admin/firestore";
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
  /**
   * `bucket` (default): the token bucket below. `window`: at most `burst` calls per fixed window of
   * `burst / perMinute` minutes, counted with a blind increment (no transaction), for budgets one user
   * legitimately spends many calls of at once. A fixed window may let up to twice `burst` through
   * across a window boundary.
   */
  counting?: "bucket" | "window";
}

/**
 * The named budgets of the callables that spend TMDB quota, from the instance's config (config.ts):
 * `enrichment` (enrichShow, enrichLibrary, markWatched) and `import` (syncHistory, importCsv, ...).
 */
export type RateLimitPolicyName = keyof RuntimeConfig["rateLimits"];

export function resolvePolicy(policy: RateLimitPolicyName | RateLimitPolicy, budgets: RuntimeConfig["rateLimits"]): RateLimitPolicy {
  if (typeof policy !== "string") return policy;
  return { name: policy, ...budgets[policy], ...(WINDOWED_POLICIES.has(policy) ? { counting: "window" as const } : {}) };
}

/**
 * Named budgets counted per fixed window instead of a token bucket: messages, which one user may send
 * 50 at once (a bucket's transaction per call would abort under that contention and refuse sends that
 * are within the budget; a blind increment never aborts).
 */
const WINDOWED_POLICIES: ReadonlySet<RateLimitPolicyName> = new Set(["messages"]);

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
  if (policy.counting === "window") return consumeRateWindow(db, uid, policy, now);
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

/**
 * A budget counted in fixed windows with blind writes, for keys that burst from several senders at once (a
 * webhook secret a household's servers share) or one user's legitimate bursts (50 messages at once): a
 * bucket's transaction per call would abort under that contention, a blind increment never does.
 * The window lasts `burst / perMinute` minutes (one minute when there is no burst; a day for a daily budget).
 * Each call adds one to its window's counter (`FieldValue.increment`, a write that needs no read), then reads
 * that counter and the previous window's: the previous one weighted by how much of it still overlaps the
 * last window's length, plus the current one, is the calls of the last window, so a burst straddling a
 * boundary is not let through twice. Over the budget it throws `resource-exhausted`; the call was counted
 * anyway, so a client hammering stays refused. Counters are `ops/rate_limits/users/{key}@{policy}@{window}`,
 * deleted by the same TTL as the buckets.
 */
export async function consumeRateWindow(db: Firestore, key: string, policy: RateLimitPolicy, now: Date): Promise<void> {
  if (!(policy.perMinute > 0)) return;
  const limit = Math.max(1, policy.burst || policy.perMinute);
  const windowMs = Math.max(1000, Math.round((limit / policy.perMinute) * 60_000));
  const window = Math.floor(now.getTime() / windowMs);
  const endsAt = (window + 1) * windowMs;
  const counter = (index: number) => rateLimitRef(db, `${key}@${policy.name}@${index}`);
  await counter(window).set({ count: FieldValue.increment(1), expiresAt: Timestamp.fromMillis(endsAt + BUCKET_TTL_MS) }, { merge: true });
  const [current, previous] = await db.getAll(counter(window), counter(window - 1));
  const count = (snap: DocumentSnapshot) => {
    const value = snap.get("count") as unknown;
    return typeof value === "number" && Number.isFinite(value) ? value : 0;
  };
  const overlap = 1 - (now.getTime() - window * windowMs) / windowMs;
  // At least this call's own increment, whatever the read saw.
  const estimate = Math.max(1, count(current)) + count(previous) * overlap;
  if (estimate > limit) throw tooMany(policy, Math.max(1, Math.ceil((endsAt - now.getTime()) / 1000)));
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

/** Forgets a user's budgets (their account is being deleted, CONTRACT §9). */
export async function deleteRateLimits(db: Firestore, uid: string): Promise<void> {
  await rateLimitRef(db, uid).delete();
}

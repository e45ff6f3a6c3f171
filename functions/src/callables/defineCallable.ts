import { HttpsError, onCall, type CallableFunction, type CallableOptions } from "firebase-functions/v2/https";
import type { z } from "zod";
import { appContextFromParams, type AppContext } from "../shared/app";
import { enforceAppCheckAtLoad } from "../shared/config";
import { AppError } from "../shared/errors";
import { authorizeProfiles } from "../households/profileAccess";
import { secretsFor, REGION } from "../triggers/common";
import { logCallableCrashed, logCallableRejected } from "../triggers/logs";
import { consumeRateLimit, resolvePolicy, type RateLimitPolicy, type RateLimitPolicyName } from "../security/rateLimit";
import { redactDeep, redactSecrets } from "../security/redact";
import { describeValidationError, isSafeDocumentId } from "../shared/validation";

export interface CallableSpec<S extends z.ZodType, R> {
  name: string;
  schema: S;
  /** `uid`: whose data the call acts on (with `profile: true`, the authorised `profileId`; else the caller). */
  handler: (ctx: AppContext, uid: string, data: z.output<S>, access: ProfileAccess) => Promise<R>;
  options?: Pick<CallableOptions, "timeoutSeconds" | "memory" | "concurrency">;
  /**
   * A per-user budget, taken after validation and before the handler, so a throttled call spends
   * no TMDB quota: a named policy (`"enrichment"`, `"import"`) or a custom one.
   */
  rateLimit?: RateLimitPolicyName | RateLimitPolicy;
  /**
   * false for a callable that never calls TMDB (not even through the caches): it does not bind the
   * TMDB_API_KEY secret, so the credential is not in its environment. Default true.
   */
  tmdb?: boolean;
  /**
   * true for a callable that acts on a user's own data (CONTRACT §9): its schema spreads `profileIdField`
   * (and markWatched's has `profileIds`). The one place profiles are authorised: the caller's uid or a
   * managed profile of the caller's household, else `permission-denied` before the handler runs (nothing
   * written, and the same answer whether the profile exists or not). The handler's `uid` is then the
   * profile's; the rate limit still counts the caller.
   */
  profile?: boolean;
}

/** Who called and, for `profile` callables, which profiles the call was authorised for. */
export interface ProfileAccess {
  callerUid: string;
  /** `profileIds` as sent (each authorised), for a call that acts on several profiles at once. */
  profileIds?: string[];
}

/** Callables that may wait on a cache lock: past the lock lease, with room for the fetch that follows. */
export const TMDB_CALLABLE_TIMEOUT_SECONDS = 120;

/** What a callable exposes besides the trigger, so tests can fuzz and throttle every callable without a list. */
export interface CallableMeta<S extends z.ZodType> {
  readonly callableName: string;
  readonly schema: S;
  readonly rateLimit?: RateLimitPolicyName | RateLimitPolicy;
}

export type DefinedCallable<S extends z.ZodType, R> = CallableFunction<unknown, Promise<R>> & CallableMeta<S>;

/**
 * The whole trigger layer of a callable: auth (uid from `request.auth` only), App Check when
 * enforced, zod validation (the message names the field), the per-user rate limit, then a plain
 * module; `AppError`s become the contract's `HttpsError` codes and anything unexpected becomes
 * `internal` without details. Nothing a client sees or a log line holds carries the TMDB credential.
 */
export function defineCallable<S extends z.ZodType, R>(spec: CallableSpec<S, R>): DefinedCallable<S, R> {
  const callable = onCall(
    {
      region: REGION,
      secrets: secretsFor(spec.tmdb),
      enforceAppCheck: enforceAppCheckAtLoad(),
      // A caller that meets another request's live cache lock waits up to the lease (60 s) before taking over
      // a dead holder's lock and fetching itself: the default 60 s timeout would end it at that very moment.
      // (The web SDK's callable timeout is 70 s.)
      ...(spec.tmdb === false ? {} : { timeoutSeconds: TMDB_CALLABLE_TIMEOUT_SECONDS }),
      ...spec.options,
    },
    async (request) => {
      const uid = request.auth?.uid;
      if (!uid) throw new HttpsError("unauthenticated", `${spec.name} requires a signed-in user`);
      // Every per-user path is users/{uid}/...: a uid that is not a plain document id could address another user's tree.
      if (uid.length > 128 || !isSafeDocumentId(uid)) throw new HttpsError("unauthenticated", `${spec.name} requires a valid user id`);
      const data = parsePayload(spec, request.data, uid);
      try {
        const ctx = appContextFromParams();
        if (spec.rateLimit) await consumeRateLimit(ctx.db, uid, resolvePolicy(spec.rateLimit, ctx.config.rateLimits), ctx.clock());
        if (!spec.profile) return await spec.handler(ctx, uid, data, { callerUid: uid });
        const { profileId, profileIds, ...rest } = data as { profileId?: unknown; profileIds?: unknown };
        const ids = typeof profileId === "string" ? [profileId] : Array.isArray(profileIds) ? (profileIds as string[]) : [];
        await authorizeProfiles(ctx.db, uid, ids);
        const owner = typeof profileId === "string" ? profileId : uid;
        return await spec.handler(ctx, owner, rest as z.output<S>, {
          callerUid: uid,
          ...(Array.isArray(profileIds) ? { profileIds: profileIds as string[] } : {}),
        });
      } catch (error) {
        if (error instanceof HttpsError) throw new HttpsError(error.code, redactSecrets(error.message), redactDeep(error.details));
        if (error instanceof AppError) {
          logCallableRejected({ name: spec.name, uid, code: error.code, message: error.message });
          throw new HttpsError(error.code, redactSecrets(error.message), error.details && redactDeep(error.details));
        }
        logCallableCrashed({ name: spec.name, uid, error });
        throw new HttpsError("internal", "Internal error");
      }
    },
  );
  return Object.assign(callable, { callableName: spec.name, schema: spec.schema, rateLimit: spec.rateLimit });
}

function parsePayload<S extends z.ZodType, R>(spec: CallableSpec<S, R>, payload: unknown, uid: string): z.output<S> {
  let parsed: z.ZodSafeParseResult<z.output<S>>;
  try {
    parsed = spec.schema.safeParse(payload ?? {});
  } catch (error) {
    // A refine/transform that throws on hostile input is a schema bug: log it, but it is still a bad payload.
    logCallableCrashed({ name: spec.name, uid, error });
    throw new HttpsError("invalid-argument", "payload: could not be validated");
  }
  if (!parsed.success) throw new HttpsError("invalid-argument", describeValidationError(parsed.error));
  return parsed.data;
}

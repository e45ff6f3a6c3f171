import { HttpsError, onCall, type CallableFunction, type CallableOptions } from "firebase-functions/v2/https";
import type { z } from "zod";
import { appContextFromParams, type AppContext } from "../app";
import { ENFORCE_APP_CHECK, TMDB_API_KEY } from "../config";
import { AppError } from "../errors";
import { logCallableFailed, logUnexpectedError } from "../logs";
import { describeValidationError } from "../validation";

export interface CallableSpec<S extends z.ZodType, R> {
  name: string;
  schema: S;
  handler: (ctx: AppContext, uid: string, data: z.output<S>) => Promise<R>;
  options?: Pick<CallableOptions, "timeoutSeconds" | "memory" | "concurrency">;
}

/**
 * The whole trigger layer of a callable: auth (uid from `request.auth` only), App Check when
 * enforced, zod validation (the message names the field), then a plain module; `AppError`s become
 * the contract's `HttpsError` codes and anything unexpected becomes `internal` without details.
 */
export function defineCallable<S extends z.ZodType, R>(spec: CallableSpec<S, R>): CallableFunction<unknown, Promise<R>> {
  return onCall(
    { region: "us-central1", secrets: [TMDB_API_KEY], enforceAppCheck: ENFORCE_APP_CHECK, ...spec.options },
    async (request) => {
      const uid = request.auth?.uid;
      if (!uid) throw new HttpsError("unauthenticated", `${spec.name} requires a signed-in user`);
      const parsed = spec.schema.safeParse(request.data ?? {});
      if (!parsed.success) throw new HttpsError("invalid-argument", describeValidationError(parsed.error));
      try {
        return await spec.handler(appContextFromParams(), uid, parsed.data);
      } catch (error) {
        if (error instanceof HttpsError) throw error;
        if (error instanceof AppError) {
          logCallableFailed({ name: spec.name, uid, code: error.code, message: error.message });
          throw new HttpsError(error.code, error.message, error.details);
        }
        logUnexpectedError({ name: spec.name, uid, error });
        throw new HttpsError("internal", "Internal error");
      }
    },
  );
}

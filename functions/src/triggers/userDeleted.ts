import { region, type RuntimeOptions } from "firebase-functions/v1";
import { appContextFromParams, type AppContext } from "../shared/app";
import { REGION, secretsFor } from "./common";
import { logUserDeletionFailed } from "./logs";

export interface UserDeletedSpec {
  name: string;
  /** Runs once per deleted Firebase Auth account (at least once: make it idempotent). */
  handler: (ctx: AppContext, uid: string) => Promise<void>;
  tmdb?: boolean;
  options?: Pick<RuntimeOptions, "timeoutSeconds" | "memory">;
}

/**
 * The whole trigger layer of an Auth user-deletion hook. Cloud Functions v2 has no such event (only the
 * blocking `beforeUserCreated`/`beforeUserSignedIn`), so this is the one v1 trigger: `auth.user().onDelete`.
 */
export function defineUserDeletedTrigger(spec: UserDeletedSpec) {
  return region(REGION)
    .runWith({ secrets: secretsFor(spec.tmdb).map((secret) => secret.name), ...spec.options })
    .auth.user()
    .onDelete(async (user) => {
      const started = Date.now();
      try {
        await spec.handler(appContextFromParams(), user.uid);
      } catch (error) {
        logUserDeletionFailed({ name: spec.name, uid: user.uid, error, durationMs: Date.now() - started });
        throw error;
      }
    });
}

import * as logger from "firebase-functions/logger";
import { redactSecrets } from "../security/redact";

/**
 * What the trigger layer logs, one line per outcome, the same for every trigger kind: `name` is the
 * exported function. Whatever an error carries, credentials are redacted.
 */
const described = (error: unknown) => {
  const { message, stack } = error instanceof Error ? error : { message: String(error), stack: undefined };
  return { message: redactSecrets(message), ...(stack ? { stack: redactSecrets(stack) } : {}) };
};

export function logCallableRejected(fields: { name: string; uid?: string; code: string; message: string }): void {
  logger.warn("callable failed", { ...fields, message: redactSecrets(fields.message) });
}

export function logCallableCrashed(fields: { name: string; uid?: string; error: unknown }): void {
  logger.error("callable crashed", { name: fields.name, uid: fields.uid, ...described(fields.error) });
}

export function logHttpCrashed(fields: { name: string; method: string; error: unknown; durationMs: number }): void {
  logger.error("http endpoint crashed", {
    name: fields.name,
    method: fields.method,
    durationMs: fields.durationMs,
    ...described(fields.error),
  });
}

/** A task that threw: the queue retries it unless `final`. `job` names what it was working on (uid, importId, …). */
export function logTaskFailed(fields: {
  name: string;
  attempt: number;
  final: boolean;
  job: Record<string, unknown>;
  error: unknown;
  durationMs: number;
}): void {
  const { error, job, ...rest } = fields;
  logger.error("task failed", { ...rest, ...job, error: described(error).message });
}

export function logScheduleFailed(fields: { name: string; error: unknown; durationMs: number }): void {
  logger.error("scheduled run failed", { name: fields.name, durationMs: fields.durationMs, ...described(fields.error) });
}

export function logUserDeletionFailed(fields: { name: string; uid: string; error: unknown; durationMs: number }): void {
  logger.error("user deletion trigger failed", {
    name: fields.name,
    uid: fields.uid,
    durationMs: fields.durationMs,
    ...described(fields.error),
  });
}

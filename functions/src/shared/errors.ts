import type { FunctionsErrorCode } from "firebase-functions/v2/https";

/**
 * An expected failure with the callable error code the contract gives it. Business modules throw
 * these; the trigger layer turns them into `HttpsError` without knowing the details.
 */
export class AppError extends Error {
  constructor(
    readonly code: Extract<
      FunctionsErrorCode,
      | "invalid-argument"
      | "not-found"
      | "already-exists"
      | "failed-precondition"
      | "resource-exhausted"
      | "unavailable"
      | "permission-denied"
    >,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "AppError";
  }
}

export const notFound = (message: string) => new AppError("not-found", message);
export const invalidArgument = (message: string) => new AppError("invalid-argument", message);
export const failedPrecondition = (message: string, details?: Record<string, unknown>) =>
  new AppError("failed-precondition", message, details);
export const resourceExhausted = (message: string) => new AppError("resource-exhausted", message);
export const unavailable = (message: string) => new AppError("unavailable", message);

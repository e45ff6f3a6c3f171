import * as logger from "firebase-functions/logger";

/** Household and deletion log lines: ids and counts only, never names or invite codes. */
export function logHouseholdChanged(fields: { uid: string; householdId: string; action: string; profileId?: string }): void {
  logger.info("household changed", fields);
}

export function logDeletionProgress(fields: {
  ownerId: string;
  kind: string;
  phase: string;
  deletedDocs: number;
  done: boolean;
  durationMs: number;
}): void {
  logger.info("account deletion progress", fields);
}

export function logDeletionTaskFailed(fields: { ownerId: string; attempt: number; error: unknown }): void {
  logger.warn("account deletion task failed; the queue retries it", {
    ownerId: fields.ownerId,
    attempt: fields.attempt,
    message: fields.error instanceof Error ? fields.error.message : String(fields.error),
  });
}

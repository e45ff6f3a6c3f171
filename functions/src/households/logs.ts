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

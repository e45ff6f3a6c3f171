import * as logger from "firebase-functions/logger";

/** The import domain's log lines: one function each, structured fields, never file contents. */
export function logImportCreated(fields: { uid: string; importId: string; fileName: string; sizeBytes: number }): void {
  logger.info("import created", fields);
}

export function logImportStarted(fields: { uid: string; importId: string; parts: number; status: string }): void {
  logger.info("import started", fields);
}

export function logImportChunk(fields: {
  uid: string;
  importId: string;
  cursor: number;
  total: number;
  added: number;
  duplicates: number;
  durationMs: number;
}): void {
  logger.debug("import chunk applied", fields);
}

export function logImportFinished(fields: {
  uid: string;
  importId: string;
  status: "done" | "failed";
  formats: string[];
  records: number;
  added: number;
  duplicates: number;
  unmatched: number;
  invalid: number;
  errorCode?: string;
  tmdbCalls: number;
  durationMs: number;
}): void {
  logger.info("import finished", fields);
}

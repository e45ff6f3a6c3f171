import * as logger from "firebase-functions/logger";

/**
 * One function per thing worth logging, so lines stay consistent and greppable. Fields are the
 * ones operators filter on; never whole user documents, tokens or keys.
 */
export function logTmdbRequest(fields: { path: string; status?: number; attempt: number; durationMs: number }): void {
  logger.debug("tmdb request", { ...fields, outcome: fields.status ?? "network-error" });
}

export function logSeasonsLoaded(fields: {
  showId: number;
  seasons: number[];
  fetched: number[];
  pending: number[];
  stale: number[];
  tmdbCalls: number;
  durationMs: number;
}): void {
  logger.info("seasons loaded", fields);
}

export function logLockLost(fields: { path: string; showId: number }): void {
  logger.warn("cache lock lost before completion; result discarded", fields);
}

export function logCacheFetchFailed(fields: { showId: number; seasons: number[]; code: string; message: string }): void {
  logger.warn("cache fetch failed; lock released", fields);
}

export function logShowEnriched(fields: {
  uid: string;
  showId: number;
  enriched: number;
  alreadyEnriched: number;
  notFound: number;
  malformedKeys: number;
  pendingSeasons: number[];
  wrote: boolean;
  tmdbCalls: number;
  durationMs: number;
}): void {
  logger.info("show enriched", fields);
}

export function logCallableFailed(fields: { name: string; uid?: string; code: string; message: string }): void {
  logger.warn("callable failed", fields);
}

export function logUnexpectedError(fields: { name: string; uid?: string; error: unknown }): void {
  const error = fields.error instanceof Error ? { message: fields.error.message, stack: fields.error.stack } : { message: String(fields.error) };
  logger.error("callable crashed", { name: fields.name, uid: fields.uid, ...error });
}

import * as logger from "firebase-functions/logger";

/** The language domain's log lines (names cache, preferences, re-enrichment after a switch), one function each. */
export function logNamesLoaded(fields: {
  showId: number;
  language: string;
  seasons: number[];
  missing: number[];
  tmdbCalls: number;
  durationMs: number;
}): void {
  logger.info("names loaded", fields);
}

export function logNamesFetchFailed(fields: { showId: number; language: string; seasons: number[]; code: string; message: string }): void {
  logger.warn("names fetch failed", fields);
}

export function logLockLost(fields: { path: string; showId: number }): void {
  logger.warn("names lock lost", fields);
}

export function logPreferencesSet(fields: {
  uid: string;
  language: string;
  timeZone: string;
  languageChanged: boolean;
  durationMs: number;
}): void {
  logger.info("preferences set", fields);
}

export function logNamesReenriched(fields: {
  uid: string;
  language: string;
  shows: number;
  enriched: number;
  done: boolean;
  tmdbCalls: number;
  durationMs: number;
}): void {
  logger.info("names re-enriched", fields);
}

import * as logger from "firebase-functions/logger";

/** One line per scrobble: what it did (`recorded`, `same-viewing`, `repeat`, `position`). */
export function logScrobbled(fields: {
  uid: string;
  mediaKey: string;
  action: string;
  progress: number;
  result: string;
  tmdbCalls: number;
  durationMs: number;
}): void {
  logger.info("scrobbled", fields);
}

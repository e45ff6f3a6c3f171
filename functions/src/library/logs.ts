import * as logger from "firebase-functions/logger";

/**
 * The library domain's log lines (status, rewatch, watchlist, ratings, movies, calendar, alerts), one
 * function each, with the fields operators filter on. Never device tokens or feed secrets.
 */
export function logShowStatusSet(fields: { uid: string; showId: number; status: string; durationMs: number }): void {
  logger.info("show status set", fields);
}

export function logProgressReset(fields: { uid: string; showId: number; undo: boolean; resetAt: string | null; durationMs: number }): void {
  logger.info(fields.undo ? "progress reset undone" : "progress reset", fields);
}

export function logWatchlistSet(fields: { uid: string; mediaKey: string; on: boolean; tmdbCalls: number; durationMs: number }): void {
  logger.info("watchlist set", fields);
}

export function logRated(fields: { uid: string; ratingKey: string; rating: number | null; tmdbCalls: number; durationMs: number }): void {
  logger.info("rated", fields);
}

export function logMovieMarked(fields: {
  uid: string;
  movieId: number;
  watched: boolean;
  added: number;
  removed: number;
  plays: number;
  tmdbCalls: number;
  durationMs: number;
}): void {
  logger.info("movie marked", fields);
}

export function logCalendarLoaded(fields: {
  uid: string;
  shows: number;
  seasonsRead: number;
  cold: number;
  items: number;
  tmdbCalls: number;
  durationMs: number;
}): void {
  logger.info("calendar loaded", fields);
}

export function logCalendarFeed(fields: {
  outcome: "served" | "not-found" | "rate-limited";
  uid?: string;
  items?: number;
  durationMs: number;
}): void {
  logger.info("calendar feed", fields);
}

export function logCalendarFeedChanged(fields: { uid: string; action: "created" | "revoked"; revoked?: boolean }): void {
  logger.info("calendar feed changed", fields);
}

export function logDeviceChanged(fields: { uid: string; platform: string; registered: boolean }): void {
  logger.info("device changed", fields);
}

export function logEpisodeAlerts(fields: {
  showId: number;
  season: number;
  episode: number;
  followers: number;
  notified: number;
  messages: number;
  invalidTokens: number;
  durationMs: number;
}): void {
  logger.info("new-episode alerts", fields);
}

export function logAlertSendFailed(fields: { uid: string; showId: number; season: number; episode: number; code: string }): void {
  logger.warn("new-episode alert not sent", fields);
}

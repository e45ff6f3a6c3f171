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

export function logReactionToggled(fields: {
  uid: string;
  showId: number;
  season: number;
  episode: number;
  action: string;
  transactionAttempts: number;
  publishAttempts: number;
  durationMs: number;
}): void {
  logger.debug("reaction toggled", fields);
}

export function logReactionCountsBehind(fields: { showId: number; season: number; episode: number; reason: string }): void {
  logger.warn("reaction_counts aggregate not published after a toggle; shards stay exact, the next toggle catches up", fields);
}

export function logShowProgress(fields: {
  uid: string;
  showId: number;
  tmdbKnown: boolean;
  problem: string | null;
  tmdbCalls: number;
  durationMs: number;
}): void {
  logger.debug("show progress", fields);
}

export function logLibraryLoaded(fields: { uid: string; shows: number; warm: number; tmdbCalls: number; durationMs: number }): void {
  logger.info("library loaded", fields);
}

export function logProgressSet(fields: {
  uid: string;
  showId: number;
  season: number;
  episode: number;
  tmdbCalls: number;
  durationMs: number;
}): void {
  logger.debug("progress pointer set", fields);
}

export function logEpisodeAdvanced(fields: {
  uid: string;
  showId: number;
  from: { season: number; episode: number } | null;
  to: { season: number; episode: number } | null;
  completed: boolean;
  tmdbCalls: number;
  durationMs: number;
}): void {
  logger.info("episode advanced", fields);
}

export function logPlaybackSaved(fields: {
  uid: string;
  mediaKey: string;
  completionPercentage: number;
  stored: boolean;
  watched: boolean;
  playRecorded: boolean;
  tmdbCalls: number;
  durationMs: number;
}): void {
  logger.debug("playback saved", fields);
}

export function logMovieFetchFailed(fields: { movieId: number; code: string; message: string }): void {
  logger.warn("movie cache fetch failed; lock released", fields);
}

export function logMovieLockLost(fields: { path: string; movieId: number }): void {
  logger.warn("movie cache lock lost before completion; result discarded", fields);
}

export function logLookupFailed(fields: { query: string; code: string; message: string }): void {
  logger.warn("tmdb lookup failed; items left unresolved", fields);
}

/** A show's TVDB episode map (cache/tvdbEpisodes.ts) could not take new entries: its ids stay answered one by one. */
export function logTvdbEpisodesNotRecorded(fields: { showId: number; entries: number; message: string }): void {
  logger.warn("tvdb episode map not written; those ids are answered per id", fields);
}

export function logEnrichAfterImportFailed(fields: { uid: string; showId: number; code: string; message: string }): void {
  logger.warn("enrichment after recording plays failed; plays are recorded, enrichment is retried later", fields);
}

export function logHistorySynced(fields: {
  uid: string;
  items: number;
  added: number;
  duplicates: number;
  skipped: { movies: number; noTmdbId: number; invalid: number };
  shows: number;
  lookupsFailed: number;
  tmdbCalls: number;
  durationMs: number;
}): void {
  logger.info("history synced", fields);
}

export function logCsvImported(fields: {
  uid: string;
  rows: number;
  added: number;
  duplicates: number;
  unmatched: number;
  invalidRows: number;
  shows: number;
  tmdbCalls: number;
  durationMs: number;
}): void {
  logger.info("csv imported", fields);
}

export function logMarkedWatched(fields: {
  uid: string;
  showId: number;
  target: string;
  watched: boolean;
  episodes: number;
  changed: number;
  tmdbCalls: number;
  durationMs: number;
}): void {
  logger.info("marked watched", fields);
}

export function logNightlyRunOpened(fields: { runId: string; mode: string; windowStart: string; windowEnd: string; phase: string }): void {
  logger.info("nightly run opened", fields);
}

export function logNightlyRunResumed(fields: { runId: string; attempt: number; phase: string; outstandingShows: number }): void {
  logger.warn("nightly run resumed", fields);
}

export function logNightlyRunGaveUp(fields: { runId: string; attempts: number; outstandingShows: number }): void {
  logger.error("nightly run given up; its remaining seasons stay marked stale and refresh on next read", fields);
}

export function logNightlyChangesPage(fields: {
  runId: string;
  page: number;
  totalPages: number;
  changedShows: number;
  plannedShows: number;
  tmdbCalls: number;
  durationMs: number;
}): void {
  logger.info("nightly changes page planned", fields);
}

export function logNightlyBackfillPage(fields: { scanned: number; updated: number; done: boolean; durationMs: number }): void {
  logger.info("nightly showId backfill page", fields);
}

export function logNightlyShowRefreshed(fields: {
  runId: string;
  showId: number;
  seasons: number[];
  seasonsRefreshed: number;
  tmdbCalls: number;
  durationMs: number;
}): void {
  logger.info("nightly show refreshed", fields);
}

export function logNightlyRefreshFailed(fields: { runId: string; showId: number; seasons: number[]; tmdbCalls: number }): void {
  logger.warn("nightly show refresh failed; the task will be retried", fields);
}

export function logNightlyUsersPage(fields: {
  runId: string;
  showId: number;
  documentsRead: number;
  documentsUpdated: number;
  failures: number;
  stoppedEarly: boolean;
  done: boolean;
  durationMs: number;
}): void {
  logger.info("nightly tracking page re-enriched", fields);
}

export function logNightlyDocumentFailed(fields: { runId: string; uid: string; showId: number; code: string; message: string }): void {
  logger.warn("nightly re-enrichment of a tracking document failed", fields);
}

export function logNightlyRunFinished(fields: {
  runId: string;
  outcome: string;
  showsPlanned: number;
  seasonsRefreshed: number;
  documentsRead: number;
  documentsUpdated: number;
  tmdbCalls: number;
  failures: number;
  durationMs: number;
}): void {
  logger.info("nightly run finished", fields);
}

export function logNightlyTaskRejected(fields: { reason: string }): void {
  logger.error("nightly task payload rejected; dropped without retry", fields);
}

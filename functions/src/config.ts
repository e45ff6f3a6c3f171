import { defineBoolean, defineInt, defineSecret, defineString } from "firebase-functions/params";

/** Every value the deployed code can be told, in one place (CONTRACT §4). */
export const TMDB_API_KEY = defineSecret("TMDB_API_KEY");
export const TMDB_BASE_URL = defineString("TMDB_BASE_URL", { default: "https://api.themoviedb.org/3" });
export const LOCK_LEASE_SECONDS = defineInt("LOCK_LEASE_SECONDS", { default: 60 });
export const CACHE_TTL_DAYS = defineInt("CACHE_TTL_DAYS", { default: 30 });
export const CACHE_ONGOING_TTL_DAYS = defineInt("CACHE_ONGOING_TTL_DAYS", { default: 7 });
export const PLAYBACK_WATCHED_PERCENT = defineInt("PLAYBACK_WATCHED_PERCENT", { default: 90 });
export const ENFORCE_APP_CHECK = defineBoolean("ENFORCE_APP_CHECK", { default: false });

export interface CacheConfig {
  lockLeaseSeconds: number;
  ttlDays: number;
  ongoingTtlDays: number;
  /** How long a reader waits for another request's live lock before reporting the season as pending. */
  lockWaitMs: number;
}

export interface RuntimeConfig {
  cache: CacheConfig;
  playbackWatchedPercent: number;
}

export const DEFAULT_CONFIG: RuntimeConfig = {
  cache: { lockLeaseSeconds: 60, ttlDays: 30, ongoingTtlDays: 7, lockWaitMs: 2000 },
  playbackWatchedPercent: 90,
};

/** Reads the params at run time (they have no value while the code is being loaded for deploy). */
export function runtimeConfigFromParams(): RuntimeConfig {
  return {
    cache: {
      lockLeaseSeconds: LOCK_LEASE_SECONDS.value(),
      ttlDays: CACHE_TTL_DAYS.value(),
      ongoingTtlDays: CACHE_ONGOING_TTL_DAYS.value(),
      lockWaitMs: DEFAULT_CONFIG.cache.lockWaitMs,
    },
    playbackWatchedPercent: PLAYBACK_WATCHED_PERCENT.value(),
  };
}

/**
 * Per-user token buckets of the callables that spend TMDB quota, checked before any TMDB call (see
 * security/rateLimit.ts): up to BURST calls at once, refilled at PER_MINUTE. PER_MINUTE 0 turns one off.
 * Enrichment: an app opening a library enriches many shows at once. Import: a long Trakt history
 * arrives as a run of 1,000-item calls.
 */
export const RATE_LIMIT_ENRICH_PER_MINUTE = defineInt("RATE_LIMIT_ENRICH_PER_MINUTE", { default: 20 });
export const RATE_LIMIT_ENRICH_BURST = defineInt("RATE_LIMIT_ENRICH_BURST", { default: 60 });
export const RATE_LIMIT_IMPORT_PER_MINUTE = defineInt("RATE_LIMIT_IMPORT_PER_MINUTE", { default: 5 });
export const RATE_LIMIT_IMPORT_BURST = defineInt("RATE_LIMIT_IMPORT_BURST", { default: 20 });

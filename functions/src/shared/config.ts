import { defineBoolean, defineInt, defineSecret, defineString } from "firebase-functions/params";

/**
 * Every value the deployed code can be told, in one place (README: Deploy, params), read one way: params are
 * read once per instance into a `RuntimeConfig` (`runtimeConfigFromParams`, carried in the
 * AppContext); business code reads `ctx.config`, never a param or `process.env`. Every default is here.
 */
export const DEFAULTS = {
  tmdbBaseUrl: "https://api.themoviedb.org/3",
  lockLeaseSeconds: 60,
  cacheTtlDays: 30,
  cacheOngoingTtlDays: 7,
  playbackWatchedPercent: 90,
  enforceAppCheck: false,
  // importParts: a 50 MB file is 100 parts of 512 KiB; an app uploads them back to back.
  rateLimits: {
    enrichment: { perMinute: 20, burst: 60 },
    import: { perMinute: 5, burst: 20 },
    importParts: { perMinute: 300, burst: 120 },
    // Social (CONTRACT §10): a chat burst (50 messages at once) passes; a flood does not. Messages are
    // counted per fixed minute (contention-free, see security/rateLimit.ts); friend requests per day.
    messages: { perMinute: 100, burst: 100 },
    friendRequests: { perMinute: 50 / 1440, burst: 50 },
  },
} as const;

/** The one region every function is deployed to, and that task queues and public URLs name. */
export const REGION = "us-central1";

export const TMDB_API_KEY = defineSecret("TMDB_API_KEY");
export const TMDB_BASE_URL = defineString("TMDB_BASE_URL", { default: DEFAULTS.tmdbBaseUrl });
export const LOCK_LEASE_SECONDS = defineInt("LOCK_LEASE_SECONDS", { default: DEFAULTS.lockLeaseSeconds });
export const CACHE_TTL_DAYS = defineInt("CACHE_TTL_DAYS", { default: DEFAULTS.cacheTtlDays });
export const CACHE_ONGOING_TTL_DAYS = defineInt("CACHE_ONGOING_TTL_DAYS", { default: DEFAULTS.cacheOngoingTtlDays });
export const PLAYBACK_WATCHED_PERCENT = defineInt("PLAYBACK_WATCHED_PERCENT", { default: DEFAULTS.playbackWatchedPercent });
export const ENFORCE_APP_CHECK = defineBoolean("ENFORCE_APP_CHECK", { default: DEFAULTS.enforceAppCheck });

/**
 * Per-user token buckets of the callables that spend TMDB quota, checked before any TMDB call (see
 * security/rateLimit.ts): up to BURST calls at once, refilled at PER_MINUTE. PER_MINUTE 0 turns one off.
 * Enrichment (also markWatched): an app opening a library enriches many shows at once. Import: a long
 * Trakt history arrives as a run of 1,000-item calls.
 */
export const RATE_LIMIT_ENRICH_PER_MINUTE = defineInt("RATE_LIMIT_ENRICH_PER_MINUTE", {
  default: DEFAULTS.rateLimits.enrichment.perMinute,
});
export const RATE_LIMIT_ENRICH_BURST = defineInt("RATE_LIMIT_ENRICH_BURST", { default: DEFAULTS.rateLimits.enrichment.burst });
export const RATE_LIMIT_IMPORT_PER_MINUTE = defineInt("RATE_LIMIT_IMPORT_PER_MINUTE", { default: DEFAULTS.rateLimits.import.perMinute });
export const RATE_LIMIT_IMPORT_BURST = defineInt("RATE_LIMIT_IMPORT_BURST", { default: DEFAULTS.rateLimits.import.burst });
export const RATE_LIMIT_IMPORT_PARTS_PER_MINUTE = defineInt("RATE_LIMIT_IMPORT_PARTS_PER_MINUTE", {
  default: DEFAULTS.rateLimits.importParts.perMinute,
});
export const RATE_LIMIT_IMPORT_PARTS_BURST = defineInt("RATE_LIMIT_IMPORT_PARTS_BURST", { default: DEFAULTS.rateLimits.importParts.burst });
/** Messages a user may send per minute (sendMessage); 0 turns the limit off. */
export const RATE_LIMIT_MESSAGES_PER_MINUTE = defineInt("RATE_LIMIT_MESSAGES_PER_MINUTE", {
  default: DEFAULTS.rateLimits.messages.perMinute,
});
/** Friend requests a user may send per day (sendFriendRequest), refilled evenly over the day; 0 turns it off. */
export const RATE_LIMIT_FRIEND_REQUESTS_PER_DAY = defineInt("RATE_LIMIT_FRIEND_REQUESTS_PER_DAY", {
  default: DEFAULTS.rateLimits.friendRequests.burst,
});

export interface CacheConfig {
  lockLeaseSeconds: number;
  ttlDays: number;
  ongoingTtlDays: number;
  /**
   * How long a reader waits (listening) for another request's live lock to settle before reporting
   * the document as pending; by default the lease, so a live lock is either completed or taken over.
   */
  lockWaitMs: number;
}

/** A per-user budget: `perMinute` calls a minute on average, bursts of up to `burst`. */
export interface RateLimitBudget {
  perMinute: number;
  burst: number;
}

export interface RuntimeConfig {
  cache: CacheConfig;
  playbackWatchedPercent: number;
  /** The named budgets callables declare (`rateLimit: "enrichment"`). */
  rateLimits: {
    enrichment: RateLimitBudget;
    import: RateLimitBudget;
    importParts: RateLimitBudget;
    messages: RateLimitBudget;
    friendRequests: RateLimitBudget;
  };
}

export const DEFAULT_CONFIG: RuntimeConfig = {
  cache: {
    lockLeaseSeconds: DEFAULTS.lockLeaseSeconds,
    ttlDays: DEFAULTS.cacheTtlDays,
    ongoingTtlDays: DEFAULTS.cacheOngoingTtlDays,
    lockWaitMs: DEFAULTS.lockLeaseSeconds * 1000,
  },
  playbackWatchedPercent: DEFAULTS.playbackWatchedPercent,
  rateLimits: {
    enrichment: { ...DEFAULTS.rateLimits.enrichment },
    import: { ...DEFAULTS.rateLimits.import },
    importParts: { ...DEFAULTS.rateLimits.importParts },
    messages: { ...DEFAULTS.rateLimits.messages },
    friendRequests: { ...DEFAULTS.rateLimits.friendRequests },
  },
};

/** Reads the params at run time (they have no value while the code is being loaded for deploy). */
export function runtimeConfigFromParams(): RuntimeConfig {
  return {
    cache: {
      lockLeaseSeconds: LOCK_LEASE_SECONDS.value(),
      ttlDays: CACHE_TTL_DAYS.value(),
      ongoingTtlDays: CACHE_ONGOING_TTL_DAYS.value(),
      lockWaitMs: LOCK_LEASE_SECONDS.value() * 1000,
    },
    playbackWatchedPercent: PLAYBACK_WATCHED_PERCENT.value(),
    rateLimits: {
      enrichment: { perMinute: RATE_LIMIT_ENRICH_PER_MINUTE.value(), burst: RATE_LIMIT_ENRICH_BURST.value() },
      import: { perMinute: RATE_LIMIT_IMPORT_PER_MINUTE.value(), burst: RATE_LIMIT_IMPORT_BURST.value() },
      importParts: { perMinute: RATE_LIMIT_IMPORT_PARTS_PER_MINUTE.value(), burst: RATE_LIMIT_IMPORT_PARTS_BURST.value() },
      messages: { perMinute: RATE_LIMIT_MESSAGES_PER_MINUTE.value(), burst: RATE_LIMIT_MESSAGES_PER_MINUTE.value() },
      friendRequests: { perMinute: RATE_LIMIT_FRIEND_REQUESTS_PER_DAY.value() / 1440, burst: RATE_LIMIT_FRIEND_REQUESTS_PER_DAY.value() },
    },
  };
}

/** `TMDB_BASE_URL` and the TMDB credential, read once per instance for its TMDB client. */
export function tmdbConfigFromParams(): { baseUrl: string; credential: string } {
  return { baseUrl: TMDB_BASE_URL.value(), credential: tmdbCredential() };
}

/**
 * The TMDB credential as the runtime exposes a bound secret (its environment variable). Read this way
 * rather than through `.value()`, which warns in functions that do not bind the secret (those that
 * never call TMDB, see defineCallable's `tmdb: false`) and in the redaction of log lines and errors.
 */
export function tmdbCredential(): string {
  return process.env[TMDB_API_KEY.name] ?? "";
}

/**
 * ENFORCE_APP_CHECK as onCall needs it. onCall resolves the option when the function is defined, not
 * per request (so changing it needs a redeploy), and given the param itself it calls `.value()`,
 * which logs three warnings per callable while the CLI inspects the code at deploy. Reading the value
 * the way the SDK does (`"true"` in the environment) gives the same result without the noise; the
 * option is not part of the deploy manifest, so its load-time value there does not matter.
 */
export function enforceAppCheckAtLoad(): boolean {
  return (process.env[ENFORCE_APP_CHECK.name] ?? String(DEFAULTS.enforceAppCheck)) === "true";
}

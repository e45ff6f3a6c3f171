import { getApps, initializeApp } from "firebase-admin/app";
import { getFirestore, type Firestore } from "firebase-admin/firestore";
import { TvCache } from "../cache/tvCache";
import { runtimeConfigFromParams, tmdbConfigFromParams, type RuntimeConfig } from "./config";
import { TmdbClient, type RequestMeter } from "../tmdb/client";

/**
 * Everything business modules need, passed in explicitly so callables, the scheduler, task workers,
 * tests and the benchmark run the same code against whatever Firestore and TMDB they are given.
 */
export interface AppContext {
  db: Firestore;
  tmdb: TmdbClient;
  cache: TvCache;
  config: RuntimeConfig;
  clock: () => Date;
}

export function createAppContext(parts: { db: Firestore; tmdb: TmdbClient; config: RuntimeConfig; clock?: () => Date }): AppContext {
  const clock = parts.clock ?? (() => new Date());
  return { ...parts, clock, cache: new TvCache(parts.db, parts.tmdb, parts.config.cache, clock) };
}

/**
 * The context of one invocation (a callable call, a task, a webhook): the same clients, with its own
 * TMDB request meter that the cache and every TMDB call made through this context count into. This is
 * the one way `tmdbCalls` is measured; a client's shared counter is never subtracted.
 */
export function metered<T extends Pick<AppContext, "tmdb"> & Partial<Pick<AppContext, "cache">>>(ctx: T): T & { meter: RequestMeter } {
  const meter: RequestMeter = { requests: 0 };
  return { ...ctx, meter, ...(ctx.cache ? { cache: ctx.cache.withMeter(meter) } : {}) };
}

let instanceContext: AppContext | undefined;

/**
 * Under the Cloud Tasks emulator the Admin SDK, about to enqueue, would ask the cloud metadata server
 * for the runtime's service account and, failing, fall back to its own emulated account: naming that
 * account up front means nothing leaves the machine. Deployed, the runtime's own account is used.
 */
const EMULATED_SERVICE_ACCOUNT = "emulated-service-acct@email.com";
const adminAppOptions = () => (process.env.CLOUD_TASKS_EMULATOR_HOST ? { serviceAccountId: EMULATED_SERVICE_ACCOUNT } : undefined);

/** The context of a deployed (or emulated) function instance, built on first use from its params. */
export function appContextFromParams(): AppContext {
  if (!instanceContext) {
    if (!getApps().some((app) => app.name === "[DEFAULT]")) initializeApp(adminAppOptions());
    instanceContext = createAppContext({
      db: getFirestore(),
      tmdb: new TmdbClient(tmdbConfigFromParams()),
      config: runtimeConfigFromParams(),
    });
  }
  return instanceContext;
}

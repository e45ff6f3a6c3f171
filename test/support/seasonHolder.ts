import type { Firestore } from "firebase-admin/firestore";
import { DEFAULT_CONFIG } from "../../functions/src/shared/config";
import { TvCache, type LoadResult } from "../../functions/src/cache/tvCache";
import { TmdbClient, type RequestMeter, type TmdbClientOptions } from "../../functions/src/tmdb/client";
import type { TmdbSeason } from "../../functions/src/tmdb/schemas";
import { TEST_TMDB_OPTIONS } from "./admin";

/** A TMDB client whose season requests wait at a gate: the request is on its way to TMDB until the test opens it. */
class GatedTmdbClient extends TmdbClient {
  constructor(
    options: TmdbClientOptions,
    private readonly arrived: () => void,
    private readonly gate: Promise<void>,
  ) {
    super(options);
  }

  override async getSeason(showId: number, season: number, meter?: RequestMeter): Promise<TmdbSeason | null> {
    this.arrived();
    await this.gate;
    return super.getSeason(showId, season, meter);
  }
}

export interface SeasonHolder {
  /** Resolves once the holder has taken the season's cache lock and is fetching it from TMDB. */
  fetching: Promise<void>;
  /** Lets the fetch through; resolves with the holder's load once it has completed the season's document. */
  release(): Promise<LoadResult>;
}

/**
 * Another request (a user's, on another instance) populating one season through the cache's lock
 * protocol, held at its TMDB call for as long as the test wants: whoever else needs the season meanwhile
 * waits for that lock by listening, holding no lock of its own. It lets a chaos test stop a function at
 * a known point without the function itself holding a lock a kill would leave behind for a whole lease.
 */
export function holdSeasonFetch(db: Firestore, tmdbBaseUrl: string, showId: number, season: number): SeasonHolder {
  let arrived: () => void = () => undefined;
  const fetching = new Promise<void>((resolve) => (arrived = resolve));
  let open: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const tmdb = new GatedTmdbClient({ baseUrl: tmdbBaseUrl, credential: "fake-tmdb-key", ...TEST_TMDB_OPTIONS }, () => arrived(), gate);
  const load = new TvCache(db, tmdb, DEFAULT_CONFIG.cache).load(showId, [season]);
  // A load that ends without reaching TMDB (it failed, or the season was already cached) fails the test
  // instead of leaving it waiting on `fetching`.
  const endedEarly = load.then(() => {
    throw new Error(`the holder answered season ${season} of show ${showId} without fetching it`);
  });
  return {
    fetching: Promise.race([fetching, endedEarly]),
    release: () => {
      open();
      return load;
    },
  };
}

/**
 * A cache whose season fetches stop at TMDB's door for good: a load through it takes its locks, reaches
 * the fetch and never completes, as a function instance killed mid-fetch leaves things. `fetching`
 * resolves once a fetch is under way.
 */
export function cacheKilledMidFetch(db: Firestore, tmdbBaseUrl: string, clock: () => Date): { cache: TvCache; fetching: Promise<void> } {
  let arrived: () => void = () => undefined;
  const fetching = new Promise<void>((resolve) => (arrived = resolve));
  const never = new Promise<void>(() => undefined);
  const tmdb = new GatedTmdbClient({ baseUrl: tmdbBaseUrl, credential: "fake-tmdb-key", ...TEST_TMDB_OPTIONS }, () => arrived(), never);
  return { cache: new TvCache(db, tmdb, DEFAULT_CONFIG.cache, clock), fetching };
}

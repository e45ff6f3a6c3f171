import { Timestamp, type DocumentReference, type DocumentSnapshot, type Firestore } from "firebase-admin/firestore";
import type { CacheConfig } from "../config";
import { AppError } from "../errors";
import { logCacheFetchFailed, logLockLost, logSeasonsLoaded } from "../logs";
import { MAX_APPENDED_SEASONS, type RequestMeter, type TmdbClient } from "../tmdb/client";
import type { TmdbSeason, TmdbShow } from "../tmdb/schemas";
import {
  isSeasonDocFresh,
  isShowDocFresh,
  seasonEpisodesFromTmdb,
  seasonRef,
  showFactsFromTmdb,
  showFactsOf,
  showRef,
  type SeasonCacheDoc,
  type SeasonEpisodes,
  type ShowCacheDoc,
  type ShowFacts,
} from "./documents";
import { isServable } from "./freshness";
import { acquireLocks, classifyCacheDoc, completeLock, needsTakeOver, releaseLock, type Lease } from "./lock";

/**
 * How a season was answered:
 * - `fresh`: from a fresh cache document; `fetched`: this call populated it from TMDB;
 * - `stale`: old episodes served while someone refreshes them, or after a refresh failed;
 * - `pending`: another request holds a live lock and there is nothing to serve yet;
 * - `unavailable`: TMDB failed for it and there is nothing to serve.
 * `notFound` is true when TMDB has no such season (cached as `episodes: {}`).
 */
export type SeasonResult =
  | { state: "fresh" | "fetched" | "stale"; episodes: SeasonEpisodes; notFound: boolean }
  | { state: "pending" }
  | { state: "unavailable"; error: AppError };

export type ShowResult =
  | { state: "fresh" | "fetched" | "stale"; facts: ShowFacts }
  | { state: "pending" }
  | { state: "unavailable"; error: AppError };

export interface LoadResult {
  seasons: Map<number, SeasonResult>;
  show?: ShowResult;
  tmdbCalls: number;
}

export interface LoadOptions {
  includeShow?: boolean;
  /** Whether several seasons are fetched through `/tv/{id}?append_to_response=season/…` (default true). */
  appendSeasons?: boolean;
}

const POLL_START_MS = 50;
const POLL_MAX_MS = 400;

type Target = { kind: "show" } | { kind: "season"; season: number };
type CacheDoc = SeasonCacheDoc & ShowCacheDoc;

/**
 * The global TMDB cache for TV data. Callers ask for the seasons they need; each season costs at most
 * one TMDB fetch across all users, and several missing seasons of a show share one request.
 */
export class TvCache {
  constructor(
    private readonly db: Firestore,
    private readonly tmdb: TmdbClient,
    private readonly config: CacheConfig,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** The contract's single-season entry point. */
  async getSeasonFromCacheOrTMDB(showId: number, season: number): Promise<SeasonResult> {
    const { seasons } = await this.load(showId, [season]);
    return seasons.get(season) as SeasonResult;
  }

  async getShow(showId: number): Promise<ShowResult> {
    const { show } = await this.load(showId, [], { includeShow: true });
    return show as ShowResult;
  }

  async load(showId: number, seasonNumbers: number[], options: LoadOptions = {}): Promise<LoadResult> {
    const started = Date.now();
    const meter: RequestMeter = { requests: 0 };
    const seasons = new Map<number, SeasonResult>();
    let show: ShowResult | undefined;
    const wanted: Target[] = [...new Set(seasonNumbers)].map((season) => ({ kind: "season" as const, season }));
    if (options.includeShow) wanted.unshift({ kind: "show" });

    const deadline = Date.now() + this.config.lockWaitMs;
    let pollMs = POLL_START_MS;
    let open = wanted;
    while (open.length > 0) {
      const snaps = await this.db.getAll(...open.map((t) => this.refFor(showId, t)));
      const now = this.clock();
      const toTake: Array<{ target: Target; snap: DocumentSnapshot }> = [];
      const waiting: Target[] = [];
      open.forEach((target, i) => {
        const data = snaps[i].exists ? snaps[i].data() : undefined;
        const state = classifyCacheDoc(data as CacheDoc, (d, n) => this.isFresh(target, d, n), this.config.lockLeaseSeconds, now);
        if (state === "fresh") this.record(target, "fresh", data, seasons, (r) => (show = r));
        else if (needsTakeOver(state)) toTake.push({ target, snap: snaps[i] });
        else if (this.servableStale(target, data, now)) this.record(target, "stale", data, seasons, (r) => (show = r));
        else waiting.push(target);
      });

      if (toTake.length > 0) {
        // One atomic commit takes every document this request can populate, or none of them if
        // another request got to any first: concurrent callers never split a show's seasons
        // between several TMDB requests, and it costs one round trip whatever the season count.
        const leases = await acquireLocks(this.db, toTake.map(({ target, snap }) => ({ snap, lockedData: this.lockedData(target, snap, now) })));
        const held: Array<{ target: Target; lease: Lease<CacheDoc> }> = leases ? toTake.map(({ target }, i) => ({ target, lease: leases[i] })) : [];
        if (!leases) waiting.push(...toTake.map(({ target }) => target));
        const fetched = await this.fetchAndComplete(showId, held, options, meter);
        for (const [season, result] of fetched.seasons) seasons.set(season, result);
        if (fetched.show) show = fetched.show;
      }

      if (waiting.length === 0 || Date.now() >= deadline) {
        for (const target of waiting) {
          if (target.kind === "show") show = { state: "pending" };
          else seasons.set(target.season, { state: "pending" });
        }
        break;
      }
      // Another request holds a live lock: give it a moment to finish, then look again.
      await new Promise((resolve) => setTimeout(resolve, Math.min(pollMs, Math.max(0, deadline - Date.now()))));
      pollMs = Math.min(POLL_MAX_MS, pollMs * 2);
      open = waiting;
    }

    const tmdbCalls = meter.requests;
    if (tmdbCalls > 0 || [...seasons.values()].some((s) => s.state !== "fresh")) {
      const byState = (state: SeasonResult["state"]) => [...seasons].filter(([, r]) => r.state === state).map(([s]) => s);
      logSeasonsLoaded({
        showId,
        seasons: [...seasons.keys()],
        fetched: byState("fetched"),
        pending: byState("pending"),
        stale: byState("stale"),
        tmdbCalls,
        durationMs: Date.now() - started,
      });
    }
    return { seasons, show, tmdbCalls };
  }

  private refFor(showId: number, target: Target): DocumentReference {
    return target.kind === "show" ? showRef(this.db, showId) : seasonRef(this.db, showId, target.season);
  }

  private isFresh(target: Target, data: CacheDoc, now: Date): boolean {
    return target.kind === "show" ? isShowDocFresh(data, this.config, now) : isSeasonDocFresh(data, this.config, now);
  }

  /** Stale-while-revalidate: a locked document that still carries its old, servable data. */
  private servableStale(target: Target, data: unknown, now: Date): boolean {
    if (!data) return false;
    if (target.kind === "season") {
      return Object.keys((data as SeasonCacheDoc).episodes ?? {}).length > 0 && isServable((data as SeasonCacheDoc).lastUpdated.toDate(), now);
    }
    return typeof (data as ShowCacheDoc).name === "string";
  }

  private record(
    target: Target,
    state: "fresh" | "stale",
    data: unknown,
    seasons: Map<number, SeasonResult>,
    setShow: (result: ShowResult) => void,
  ): void {
    if (target.kind === "show") setShow({ state, facts: showFactsOf(data as ShowCacheDoc) });
    else {
      const episodes = (data as SeasonCacheDoc).episodes ?? {};
      seasons.set(target.season, { state, episodes, notFound: Object.keys(episodes).length === 0 });
    }
  }

  /** What a document holds while locked: the lock fields, plus old data readers may still serve. */
  private lockedData(target: Target, snap: DocumentSnapshot, now: Date): CacheDoc {
    const previous = snap.exists ? (snap.data() as CacheDoc) : undefined;
    // Keep old data for readers (stale-while-revalidate), unless it is past TMDB's 6-month cap.
    const keep = previous?.status === "complete" && isServable(previous.lastUpdated.toDate(), now);
    const lastUpdated = Timestamp.fromDate(now);
    if (target.kind === "season") return { episodes: keep ? previous.episodes : {}, lastUpdated, status: "populating" } as CacheDoc;
    return { ...(keep ? previous : {}), lastUpdated, status: "populating" } as CacheDoc;
  }

  private async fetchAndComplete(
    showId: number,
    held: Array<{ target: Target; lease: Lease<CacheDoc> }>,
    options: LoadOptions,
    meter: RequestMeter,
  ): Promise<{ seasons: Map<number, SeasonResult>; show?: ShowResult }> {
    const seasons = new Map<number, SeasonResult>();
    let show: ShowResult | undefined;
    if (held.length === 0) return { seasons };
    const seasonNumbers = held.flatMap(({ target }) => (target.kind === "season" ? [target.season] : []));
    const wantShow = held.some(({ target }) => target.kind === "show");

    try {
      const fetched = await this.fetchFromTmdb(showId, seasonNumbers, wantShow, options.appendSeasons ?? true, meter);
      const lastUpdated = Timestamp.fromDate(this.clock());
      const outcomes = await Promise.all(
        held.map(({ target, lease }) => {
          if (target.kind === "show") {
            const facts = showFactsFromTmdb(fetched.show);
            show = { state: "fetched", facts };
            return completeLock(lease, { ...facts, lastUpdated, status: "complete" } as CacheDoc);
          }
          const episodes = seasonEpisodesFromTmdb(fetched.seasons.get(target.season) ?? null);
          seasons.set(target.season, { state: "fetched", episodes, notFound: Object.keys(episodes).length === 0 });
          return completeLock(lease, { episodes, lastUpdated, status: "complete" } as CacheDoc);
        }),
      );
      outcomes.forEach((completed, i) => {
        if (!completed) logLockLost({ path: held[i].lease.ref.path, showId });
      });
    } catch (error) {
      // Whatever failed (TMDB, or a write Firestore refused), give back every lock still held rather
      // than leave the documents "populating" until the lease runs out.
      await Promise.all(held.map(({ lease }) => releaseLock(lease)));
      if (!(error instanceof AppError)) throw error;
      logCacheFetchFailed({ showId, seasons: seasonNumbers, code: error.code, message: error.message });
      // Serve what the documents held before, if anything; nothing half-written stays behind.
      for (const { target, lease } of held) {
        const previous = lease.previous;
        const servable = previous?.status === "complete" && this.servableStale(target, previous, this.clock());
        if (target.kind === "show") show = servable ? { state: "stale", facts: showFactsOf(previous) } : { state: "unavailable", error };
        else {
          seasons.set(
            target.season,
            servable ? { state: "stale", episodes: previous.episodes, notFound: false } : { state: "unavailable", error },
          );
        }
      }
    }
    return { seasons, show };
  }

  /**
   * One request for the show and up to 20 of its seasons (`append_to_response`), or the plain season
   * endpoint when a single season is all that is needed. A season TMDB omits although the show lists
   * it is fetched on its own, so a server that ignores `append_to_response` still works.
   */
  private async fetchFromTmdb(
    showId: number,
    seasonNumbers: number[],
    wantShow: boolean,
    append: boolean,
    meter: RequestMeter,
  ): Promise<{ show: TmdbShow | null; seasons: Map<number, TmdbSeason | null> }> {
    const seasons = new Map<number, TmdbSeason | null>();
    if (!wantShow && (seasonNumbers.length === 1 || !append)) {
      for (const season of seasonNumbers) seasons.set(season, await this.tmdb.getSeason(showId, season, meter));
      return { show: null, seasons };
    }
    const chunks: number[][] = [];
    for (let i = 0; i < seasonNumbers.length; i += MAX_APPENDED_SEASONS) chunks.push(seasonNumbers.slice(i, i + MAX_APPENDED_SEASONS));
    if (chunks.length === 0) chunks.push([]);
    let show: TmdbShow | null = null;
    for (const chunk of chunks) {
      const response = await this.tmdb.getShow(showId, chunk, meter);
      if (!response) {
        for (const season of seasonNumbers) seasons.set(season, null);
        return { show: null, seasons };
      }
      show = response.show;
      const listed = new Set(response.show.seasons.map((s) => s.season_number));
      for (const season of chunk) {
        const appended = response.seasons.get(season);
        if (appended) seasons.set(season, appended);
        else seasons.set(season, listed.has(season) ? await this.tmdb.getSeason(showId, season, meter) : null);
      }
    }
    return { show, seasons };
  }
}

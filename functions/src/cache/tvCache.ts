import { Timestamp, type DocumentReference, type DocumentSnapshot, type Firestore } from "firebase-admin/firestore";
import type { CacheConfig } from "../shared/config";
import { AppError, failedPrecondition } from "../shared/errors";
import { fitsDocumentLimit, storageSize } from "../shared/firestore";
import { logCacheFetchFailed, logLockLost, logSeasonsLoaded } from "../shared/logs";
import { MAX_APPENDED_SEASONS, type RequestMeter, type TmdbClient } from "../tmdb/client";
import type { TmdbSeason, TmdbShow } from "../tmdb/schemas";
import {
  isSeasonDocFresh,
  isShowDocFresh,
  seasonEpisodesFromTmdb,
  seasonRef,
  showFactsFromTmdb,
  NO_SHOW_FACTS,
  showFactsOf,
  showRef,
  type SeasonCacheDoc,
  type SeasonEpisodes,
  type ShowCacheDoc,
  type ShowFacts,
} from "./documents";
import { isServable } from "./freshness";
import { settleTargets, type Answer, type CacheKind } from "./engine";
import { completeLocks, releaseLock, type Lease } from "./lock";
import { NamesCache } from "./namesCache";

/**
 * How a season was answered:
 * - `fresh`: from a fresh cache document; `fetched`: this call populated it from TMDB;
 * - `stale`: old episodes served while someone refreshes them, or after a refresh failed;
 * - `pending`: another request holds a live lock and there is nothing to serve yet;
 * - `unavailable`: TMDB failed for it and there is nothing to serve, or (`failed-precondition`) the
 *   season is too big for one cache document and is refused (remembered for the ongoing TTL).
 * `notFound` is true when TMDB has no such season (cached as `episodes: {}`).
 */
export type SeasonResult =
  | { state: "fresh" | "fetched" | "stale"; episodes: SeasonEpisodes; notFound: boolean }
  | { state: "pending" }
  | { state: "unavailable"; error: AppError };

export type ShowResult =
  { state: "fresh" | "fetched" | "stale"; facts: ShowFacts } | { state: "pending" } | { state: "unavailable"; error: AppError };

export interface LoadResult {
  seasons: Map<number, SeasonResult>;
  show?: ShowResult;
  tmdbCalls: number;
}

export interface LoadOptions {
  includeShow?: boolean;
  /** Whether several seasons are fetched through `/tv/{id}?append_to_response=season/…` (default true). */
  appendSeasons?: boolean;
  /** Season documents read ahead for several shows (`prefetchSeasons`): used instead of reading them again. */
  prefetched?: SeasonPrefetch;
}

/**
 * Season documents of several shows read in one round trip, for loads that follow (a library's shows).
 * Only a first look: a document that changed since is caught by the take-over's precondition.
 */
export interface SeasonPrefetch {
  readonly snapshots: ReadonlyMap<string, DocumentSnapshot>;
}

type Target = { kind: "show" } | { kind: "season"; season: number };
type CacheDoc = SeasonCacheDoc & ShowCacheDoc;

/** Stale-while-revalidate: a season's old episodes stay servable for TMDB's six months. */
const servableSeason = (data: SeasonCacheDoc, now: Date) =>
  Object.keys(data.episodes ?? {}).length > 0 && isServable(data.lastUpdated.toDate(), now);
/** A show document's old facts, within TMDB's six months. */
const servableShow = (data: ShowCacheDoc, now: Date) => typeof data.name === "string" && isServable(data.lastUpdated.toDate(), now);

const seasonTooLarge = (showId: number, season: number) =>
  failedPrecondition(`Season ${season} of show ${showId} is too big for one cache document (Firestore's 1 MiB limit)`, { showId, season });

const MAX_COMMIT_BYTES = 8 * 1024 * 1024;
const MAX_COMMIT_WRITES = 400;

/** Consecutive groups of completions that each fit in one commit (Firestore: 10 MiB, 500 writes). */
function commitGroups<T extends { data: CacheDoc }>(items: T[]): T[][] {
  const groups: T[][] = [];
  let bytes = Infinity;
  for (const item of items) {
    const size = storageSize(item.data);
    if (bytes + size > MAX_COMMIT_BYTES || groups[groups.length - 1].length >= MAX_COMMIT_WRITES) {
      groups.push([]);
      bytes = 0;
    }
    groups[groups.length - 1].push(item);
    bytes += size;
  }
  return groups;
}

/** What a document holds while locked: the lock fields, plus old data readers may still serve. */
function lockedData(kind: Target["kind"], previous: CacheDoc | undefined, now: Date): CacheDoc {
  // Keep old data for readers (stale-while-revalidate), unless it is past TMDB's 6-month cap.
  const keep = previous?.status === "complete" && isServable(previous.lastUpdated.toDate(), now);
  const lastUpdated = Timestamp.fromDate(now);
  if (kind === "season") return { episodes: keep ? previous.episodes : {}, lastUpdated, status: "populating" } as CacheDoc;
  // The lock is an update: a field left out would survive it, so the old facts are overwritten, not omitted.
  return { ...(keep ? showFactsOf(previous) : NO_SHOW_FACTS), lastUpdated, status: "populating" } as CacheDoc;
}

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
    /** The invocation's request meter (see `metered` in app.ts): every load adds its TMDB requests to it. */
    private readonly invocationMeter?: RequestMeter,
    /** The job the locks this cache takes belong to (see `withHolder`). */
    private readonly holder?: string,
  ) {}

  /** The same cache, counting its TMDB requests into `meter` as well (one meter per invocation). */
  withMeter(meter: RequestMeter): TvCache {
    return new TvCache(this.db, this.tmdb, this.config, this.clock, meter, this.holder);
  }

  /**
   * The same cache, its locks naming `holder`: a token stable across the retries of one job (a nightly
   * refresh task, an import), so a retry takes over the locks a killed attempt left at once (lock.ts).
   */
  withHolder(holder: string): TvCache {
    return new TvCache(this.db, this.tmdb, this.config, this.clock, this.invocationMeter, holder);
  }

  /**
   * The same cache, waiting at most `ms` for another request's live lock before answering the season as
   * pending: for best-effort work (enriching after an import or a mark) that must not hold its answer up
   * to a whole lease behind a holder that may have died.
   */
  withLockWait(ms: number): TvCache {
    return new TvCache(
      this.db,
      this.tmdb,
      { ...this.config, lockWaitMs: Math.min(this.config.lockWaitMs, ms) },
      this.clock,
      this.invocationMeter,
      this.holder,
    );
  }

  /** Translated names (namesCache.ts), on this cache's Firestore, TMDB client, config, clock and request meter. */
  get names(): NamesCache {
    return new NamesCache(this.db, this.tmdb, this.config, this.clock, this.invocationMeter);
  }

  /** The contract's single-season entry point. */
  async getSeasonFromCacheOrTMDB(showId: number, season: number): Promise<SeasonResult> {
    const { seasons } = await this.load(showId, [season]);
    return seasons.get(season) as SeasonResult;
  }

  async getShow(showId: number): Promise<ShowResult> {
    const { show } = await this.load(showId, [], { includeShow: true });
    return show as ShowResult;
  }

  /** Reads the season documents of several shows at once (one `getAll`), for `load(…, { prefetched })`. */
  async prefetchSeasons(shows: Array<{ showId: number; seasons: number[] }>): Promise<SeasonPrefetch> {
    const refs = shows.flatMap(({ showId, seasons }) => [...new Set(seasons)].map((season) => seasonRef(this.db, showId, season)));
    const snaps = refs.length > 0 ? await this.db.getAll(...refs) : [];
    return { snapshots: new Map(snaps.map((snap) => [snap.ref.path, snap])) };
  }

  async load(showId: number, seasonNumbers: number[], options: LoadOptions = {}): Promise<LoadResult> {
    const started = Date.now();
    const meter: RequestMeter = { requests: 0 };
    const seasons = new Map<number, SeasonResult>();
    let show: ShowResult | undefined;
    const wanted: Target[] = [...new Set(seasonNumbers)].map((season) => ({ kind: "season" as const, season }));
    if (options.includeShow) wanted.unshift({ kind: "show" });

    // One atomic commit takes every document this request can populate, or none of them if another
    // request got to any first: concurrent callers never split a show's seasons between several TMDB
    // requests, and it costs one round trip whatever the season count.
    const targets = wanted.map((target) => ({
      ref: this.refFor(showId, target),
      kind: target.kind === "show" ? this.showKind : this.seasonKind,
    }));
    const prefetched = targets.map(({ ref }) => options.prefetched?.snapshots.get(ref.path));
    const first = prefetched.every((snap) => snap !== undefined) ? (prefetched as DocumentSnapshot[]) : undefined;
    let answers: Array<Answer<CacheDoc, SeasonResult | ShowResult>>;
    try {
      answers = await settleTargets<CacheDoc, SeasonResult | ShowResult>(
        { db: this.db, config: this.config, clock: this.clock, holder: this.holder },
        targets,
        (held) =>
          this.fetchAndComplete(
            showId,
            held.map(({ index, lease }) => ({ index, target: wanted[index], lease })),
            options,
            meter,
          ),
        first,
      );
    } finally {
      if (this.invocationMeter) this.invocationMeter.requests += meter.requests;
    }
    answers.forEach((answer, i) => {
      const target = wanted[i];
      const result: SeasonResult | ShowResult =
        answer.state === "populated"
          ? answer.result
          : answer.state === "pending"
            ? { state: "pending" }
            : this.resultOf(showId, target, answer.state, answer.data);
      if (target.kind === "show") show = result as ShowResult;
      else seasons.set(target.season, result as SeasonResult);
    });

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

  private readonly seasonKind: CacheKind<CacheDoc> = {
    isFresh: (data, now) => isSeasonDocFresh(data, this.config, now),
    isServable: (data, now) => servableSeason(data, now),
    lockedData: (previous, now) => lockedData("season", previous, now),
  };

  private readonly showKind: CacheKind<CacheDoc> = {
    isFresh: (data, now) => isShowDocFresh(data, this.config, now),
    isServable: (data, now) => servableShow(data, now),
    lockedData: (previous, now) => lockedData("show", previous, now),
  };

  private resultOf(showId: number, target: Target, state: "fresh" | "stale", data: CacheDoc): SeasonResult | ShowResult {
    if (target.kind === "show") return { state, facts: showFactsOf(data) };
    if (data.tooLarge) return { state: "unavailable", error: seasonTooLarge(showId, target.season) };
    const episodes = data.episodes ?? {};
    return { state, episodes, notFound: Object.keys(episodes).length === 0 };
  }

  /** Fetches what this request holds the locks of, completes them, and answers each by its target index. */
  private async fetchAndComplete(
    showId: number,
    held: Array<{ index: number; target: Target; lease: Lease<CacheDoc> }>,
    options: LoadOptions,
    meter: RequestMeter,
  ): Promise<Map<number, SeasonResult | ShowResult>> {
    const answers = new Map<number, SeasonResult | ShowResult>();
    const seasonNumbers = held.flatMap(({ target }) => (target.kind === "season" ? [target.season] : []));
    const wantShow = held.some(({ target }) => target.kind === "show");

    try {
      const fetched = await this.fetchFromTmdb(showId, seasonNumbers, wantShow, options.appendSeasons ?? true, meter);
      const lastUpdated = Timestamp.fromDate(this.clock());
      const completions = held.map(({ index, target, lease }) => {
        if (target.kind === "show") {
          const facts = showFactsFromTmdb(fetched.show);
          answers.set(index, { state: "fetched", facts });
          return { lease, data: { ...facts, lastUpdated, status: "complete" } as CacheDoc };
        }
        const episodes = seasonEpisodesFromTmdb(fetched.seasons.get(target.season) ?? null);
        const complete = { episodes, lastUpdated, status: "complete" } as CacheDoc;
        if (!fitsDocumentLimit(lease.ref.path, complete)) {
          // Refused, and remembered (an empty season looks ongoing: re-checked after the ongoing TTL).
          answers.set(index, { state: "unavailable", error: seasonTooLarge(showId, target.season) });
          return { lease, data: { episodes: {}, tooLarge: true, lastUpdated, status: "complete" } as CacheDoc };
        }
        answers.set(index, { state: "fetched", episodes, notFound: Object.keys(episodes).length === 0 });
        return { lease, data: complete };
      });
      // One commit (a few for a huge show, within a commit's 10 MiB): waiters listen to one of these
      // documents and read the others once it settles.
      const outcomes = (await Promise.all(commitGroups(completions).map((group) => completeLocks(this.db, group)))).flat();
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
      for (const { index, target, lease } of held) {
        const previous = lease.previous;
        const kind = target.kind === "show" ? this.showKind : this.seasonKind;
        const servable = previous?.status === "complete" && kind.isServable(previous, this.clock());
        answers.set(index, servable ? this.resultOf(showId, target, "stale", previous) : { state: "unavailable", error });
      }
    }
    return answers;
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

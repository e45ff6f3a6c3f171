import { Timestamp, type DocumentReference, type DocumentSnapshot, type Firestore } from "firebase-admin/firestore";
import type { CacheConfig } from "../shared/config";
import { AppError } from "../shared/errors";
import { realTranslation } from "../language/placeholders";
import { logLockLost, logNamesLoaded, logNamesFetchFailed } from "../language/logs";
import { MAX_APPENDED_SEASONS, type RequestMeter, type TmdbClient } from "../tmdb/client";
import type { TmdbSeason, TmdbShow } from "../tmdb/schemas";
import { isSeasonOngoing, isServable, isWithinTtl, ttlDays } from "./freshness";
import { settleTargets, type CacheKind } from "./engine";
import { completeLocks, releaseLock, type Lease, type LockFields } from "./lock";

/**
 * Translated names, cached globally per language beside the §1 documents (which keep TMDB's default
 * language and exactly their shape). CONTRACT §11:
 * - `tmdb_cache/tv/season_names/{showId}_{season}_{language}`: `{ names: { [episode]: name }, latestAirDate,
 *   undated, lastUpdated, status }` — only real translations: a placeholder ("Épisode 3") or an empty
 *   name is left out, so a reader falls back to the default-language name for it;
 * - `tmdb_cache/tv/show_names/{showId}_{language}`: `{ name | null, ongoing, lastUpdated, status }`.
 *
 * Same engine as the §1 documents (`settleTargets`: `populating` lock, lease, stale-while-revalidate,
 * TMDB's six months), same freshness rule (7 days when the season/show looks ongoing, else 30), same
 * batching: one `/tv/{id}?language=…&append_to_response=season/1,…` request for every missing name
 * document of a show in a language (20 seasons a request), shared by every user of that language.
 */
export interface SeasonNamesDoc extends LockFields {
  names: Record<string, string>;
  /** The season's latest known air date and whether an episode has none: its freshness, as §1's rule. */
  latestAirDate: string | null;
  undated: boolean;
}

export interface ShowNamesDoc extends LockFields {
  name: string | null;
  ongoing: boolean;
}

/**
 * While locked, `kept` says whether the document still holds its previous names (servable while it is
 * refreshed) or none yet (a reader waits: an empty map must not pass for "TMDB has no translations").
 */
type NamesDoc = SeasonNamesDoc & ShowNamesDoc & { kept?: boolean };

/** Old names may be served: a complete document within TMDB's six months, or a locked one that kept them. */
const servable = (data: NamesDoc, now: Date) =>
  (data.status === "complete" || data.kept === true) && isServable(data.lastUpdated.toDate(), now);

export const seasonNamesRef = (db: Firestore, showId: number, season: number, language: string) =>
  db.collection("tmdb_cache").doc("tv").collection("season_names").doc(`${showId}_${season}_${language}`);
export const showNamesRef = (db: Firestore, showId: number, language: string) =>
  db.collection("tmdb_cache").doc("tv").collection("show_names").doc(`${showId}_${language}`);

/** Names of one show in one language: only real translations; absent = use the default-language name. */
export interface ShowNames {
  /** The show's name, when the show was asked for and TMDB has a translation. */
  show?: string;
  seasons: Map<number, Record<string, string>>;
  /** Seasons (or the show) with no answer now (another request populating, TMDB down): default names. */
  missing: number[];
  tmdbCalls: number;
}

type Target = { kind: "show" } | { kind: "season"; season: number };

/** Name documents read per `getAll` round trip when several shows are read ahead. */
const PREFETCH_CHUNK = 300;

const seasonFreshness = (data: Pick<SeasonNamesDoc, "latestAirDate" | "undated">) =>
  data.undated ? [{ episodeAirDate: null }] : data.latestAirDate ? [{ episodeAirDate: data.latestAirDate }] : [];

/** Only the real translations of a TMDB season in `language`; the fields freshness is judged by. */
export function seasonNamesFromTmdb(season: TmdbSeason | null, language: string): Omit<SeasonNamesDoc, keyof LockFields> {
  const names: Record<string, string> = {};
  let latest: string | null = null;
  let undated = false;
  for (const episode of season?.episodes ?? []) {
    const name = realTranslation(episode.name, language, episode.episode_number);
    if (name !== null) names[String(episode.episode_number)] = name;
    if (!episode.air_date) undated = true;
    else if (latest === null || episode.air_date > latest) latest = episode.air_date;
  }
  return { names, latestAirDate: latest, undated };
}

export function showNamesFromTmdb(show: TmdbShow | null, language: string): Omit<ShowNamesDoc, keyof LockFields> {
  if (!show) return { name: null, ongoing: true };
  return { name: realTranslation(show.name, language), ongoing: show.in_production || show.next_episode_to_air !== null };
}

export class NamesCache {
  constructor(
    private readonly db: Firestore,
    private readonly tmdb: TmdbClient,
    private readonly config: CacheConfig,
    private readonly clock: () => Date = () => new Date(),
    private readonly invocationMeter?: RequestMeter,
  ) {}

  private readonly seasonKind: CacheKind<NamesDoc> = {
    isFresh: (data, now) => isWithinTtl(data.lastUpdated.toDate(), ttlDays(isSeasonOngoing(seasonFreshness(data), now), this.config), now),
    isServable: (data, now) => servable(data, now),
    lockedData: (previous, now) => this.lockedData("season", previous, now),
  };

  private readonly showKind: CacheKind<NamesDoc> = {
    isFresh: (data, now) => isWithinTtl(data.lastUpdated.toDate(), ttlDays(data.ongoing !== false, this.config), now),
    isServable: (data, now) => servable(data, now),
    lockedData: (previous, now) => this.lockedData("show", previous, now),
  };

  private lockedData(kind: Target["kind"], previous: NamesDoc | undefined, now: Date): NamesDoc {
    const keep = previous?.status === "complete" && isServable(previous.lastUpdated.toDate(), now);
    const lastUpdated = Timestamp.fromDate(now);
    if (kind === "season") {
      const old = keep ? previous : undefined;
      return {
        names: old?.names ?? {},
        latestAirDate: old?.latestAirDate ?? null,
        undated: old?.undated ?? true,
        kept: keep,
        lastUpdated,
        status: "populating",
      } as NamesDoc;
    }
    return {
      name: keep ? (previous.name ?? null) : null,
      ongoing: keep ? previous.ongoing : true,
      kept: keep,
      lastUpdated,
      status: "populating",
    } as NamesDoc;
  }

  /**
   * The names of `seasons` (and of the show itself with `includeShow`) in `language`. Never fails: what
   * cannot be answered now is listed in `missing`, and its default-language names are used meanwhile.
   */
  /** Reads the name documents of several shows in one round trip, for `load(…, { prefetched })`. */
  async prefetch(
    requests: Array<{ showId: number; seasons: number[]; show: boolean }>,
    language: string,
  ): Promise<Map<string, DocumentSnapshot>> {
    const refs = requests.flatMap(({ showId, seasons, show }) => [
      ...(show ? [showNamesRef(this.db, showId, language)] : []),
      ...[...new Set(seasons)].map((season) => seasonNamesRef(this.db, showId, season, language)),
    ]);
    const snaps: DocumentSnapshot[] = [];
    for (let i = 0; i < refs.length; i += PREFETCH_CHUNK) snaps.push(...(await this.db.getAll(...refs.slice(i, i + PREFETCH_CHUNK))));
    return new Map(snaps.map((snap) => [snap.ref.path, snap]));
  }

  async load(
    showId: number,
    seasons: number[],
    language: string,
    options: { includeShow?: boolean; prefetched?: ReadonlyMap<string, DocumentSnapshot> } = {},
  ): Promise<ShowNames> {
    const started = Date.now();
    const meter: RequestMeter = { requests: 0 };
    const wanted: Target[] = [...new Set(seasons)].map((season) => ({ kind: "season" as const, season }));
    if (options.includeShow) wanted.unshift({ kind: "show" });
    const answer: ShowNames = { seasons: new Map(), missing: [], tmdbCalls: 0 };
    if (wanted.length === 0) return answer;
    const targets = wanted.map((target) => ({
      ref: this.refFor(showId, target, language),
      kind: target.kind === "show" ? this.showKind : this.seasonKind,
    }));
    const first = targets.map(({ ref }) => options.prefetched?.get(ref.path));
    try {
      const answers = await settleTargets<NamesDoc, NamesDoc | null>(
        { db: this.db, config: this.config, clock: this.clock },
        targets,
        (held) =>
          this.fetchAndComplete(
            showId,
            language,
            held.map(({ index, lease }) => ({ index, target: wanted[index], lease })),
            meter,
          ),
        first.every((snap) => snap !== undefined) ? (first as DocumentSnapshot[]) : undefined,
      );
      answers.forEach((settled, i) => {
        const target = wanted[i];
        const data = settled.state === "populated" ? settled.result : settled.state === "pending" ? null : settled.data;
        if (!data) {
          answer.missing.push(target.kind === "show" ? -1 : target.season);
          return;
        }
        if (target.kind === "show") {
          if (data.name) answer.show = data.name;
        } else answer.seasons.set(target.season, data.names ?? {});
      });
    } finally {
      if (this.invocationMeter) this.invocationMeter.requests += meter.requests;
    }
    answer.tmdbCalls = meter.requests;
    if (meter.requests > 0 || answer.missing.length > 0) {
      logNamesLoaded({
        showId,
        language,
        seasons: [...answer.seasons.keys()],
        missing: answer.missing,
        tmdbCalls: meter.requests,
        durationMs: Date.now() - started,
      });
    }
    return answer;
  }

  private refFor(showId: number, target: Target, language: string): DocumentReference {
    return target.kind === "show" ? showNamesRef(this.db, showId, language) : seasonNamesRef(this.db, showId, target.season, language);
  }

  /** One request per 20 held documents of the show: the show with its seasons appended, in `language`. */
  private async fetchAndComplete(
    showId: number,
    language: string,
    held: Array<{ index: number; target: Target; lease: Lease<NamesDoc> }>,
    meter: RequestMeter,
  ): Promise<Map<number, NamesDoc | null>> {
    const results = new Map<number, NamesDoc | null>();
    const seasonNumbers = held.flatMap(({ target }) => (target.kind === "season" ? [target.season] : []));
    try {
      const chunks: number[][] = [];
      for (let i = 0; i < seasonNumbers.length; i += MAX_APPENDED_SEASONS) chunks.push(seasonNumbers.slice(i, i + MAX_APPENDED_SEASONS));
      if (chunks.length === 0) chunks.push([]);
      let show: TmdbShow | null = null;
      const seasons = new Map<number, TmdbSeason>();
      for (const chunk of chunks) {
        const response = await this.tmdb.getShow(showId, chunk, meter, language);
        if (!response) break;
        show = response.show;
        for (const [season, data] of response.seasons) seasons.set(season, data);
      }
      const lastUpdated = Timestamp.fromDate(this.clock());
      const completions = held.map(({ index, target, lease }) => {
        const fields =
          target.kind === "show" ? showNamesFromTmdb(show, language) : seasonNamesFromTmdb(seasons.get(target.season) ?? null, language);
        const data = { ...fields, lastUpdated, status: "complete" } as NamesDoc;
        results.set(index, data);
        return { lease, data };
      });
      const outcomes = await completeLocks(this.db, completions);
      outcomes.forEach((completed, i) => {
        if (!completed) logLockLost({ path: held[i].lease.ref.path, showId });
      });
    } catch (error) {
      await Promise.all(held.map(({ lease }) => releaseLock(lease)));
      if (!(error instanceof AppError)) throw error;
      logNamesFetchFailed({ showId, language, seasons: seasonNumbers, code: error.code, message: error.message });
      const now = this.clock();
      for (const { index, target, lease } of held) {
        const previous = lease.previous;
        const kind = target.kind === "show" ? this.showKind : this.seasonKind;
        results.set(index, previous?.status === "complete" && kind.isServable(previous, now) ? previous : null);
      }
    }
    return results;
  }
}

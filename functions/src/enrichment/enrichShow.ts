import type { DocumentSnapshot, Firestore } from "firebase-admin/firestore";
import type { SeasonPrefetch, SeasonResult, TvCache } from "../cache/tvCache";
import { AppError } from "../shared/errors";
import { logShowEnriched } from "../shared/logs";
import { writeEnrichment } from "../tracking/repository";
import { trackingRef, type TrackingDoc } from "../tracking/trackingDoc";
import { enrichmentUpdates, planEnrichment, type EpisodeUpdate } from "./plan";
import type { NamesCache } from "../cache/namesCache";
import { localizeSeasonEpisodes } from "../language/localize";
import { readPreferences } from "../language/preferences";
import { DEFAULT_LANGUAGE } from "../language/tags";

export interface EnrichDeps {
  db: Firestore;
  /**
   * Only `load` is used, so a caller may wrap the cache (the nightly job memoises a page's seasons);
   * `names` (the names cache) writes `episodeName` in the profile's language (CONTRACT §11).
   */
  cache: Pick<TvCache, "load"> & { names?: Pick<NamesCache, "load"> };
}

export interface EnrichShowResult {
  showId: number;
  /** Episodes that received TMDB fields in this call. */
  enriched: number;
  /** Episodes that already had every TMDB field. */
  alreadyEnriched: number;
  /** Episodes TMDB does not know (unknown season or episode). */
  notFound: number;
  /** Seasons another request is populating right now; call again shortly. */
  pendingSeasons: number[];
  malformedKeys: number;
}

export interface EnrichShowOptions {
  /** A snapshot the caller already read (enrichLibrary), to save a read. */
  snapshot?: DocumentSnapshot;
  /** Seasons whose enriched episodes are compared again (TMDB reported changes). */
  recheckSeasons?: number[];
  /** Season documents the caller read ahead (enrichLibrary, for several shows at once), to save a round trip. */
  prefetched?: SeasonPrefetch;
  /** The profile's language when the caller knows it (else read from its preferences). */
  language?: string;
}

const MAX_WRITE_ATTEMPTS = 5;

/**
 * Fills `episodeId`, `episodeName` and `episodeAirDate` of a user's tracked episodes from the global
 * season cache. Writes only those fields (field paths), only when something changed, and only if the
 * document is unchanged since it was read: a concurrent change (say `watched: true`) makes us read
 * again and recompute rather than overwrite it. Seasons are loaded once, whatever the retries.
 */
export async function enrichShow(
  deps: EnrichDeps,
  uid: string,
  showId: number,
  options: EnrichShowOptions = {},
): Promise<EnrichShowResult> {
  const started = Date.now();
  const ref = trackingRef(deps.db, uid, showId);
  const recheck = new Set(options.recheckSeasons ?? []);
  const loaded = new Map<number, SeasonResult>();
  const loadedNames = new Map<number, Record<string, string>>();
  let tmdbCalls = 0;
  const names = deps.cache.names;
  const language = names ? (options.language ?? (await readPreferences(deps.db, uid)).language) : DEFAULT_LANGUAGE;

  for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
    const snap = attempt === 0 && options.snapshot ? options.snapshot : await ref.get();
    const data = (snap.data() ?? {}) as TrackingDoc;
    const episodes = data.episodes ?? {};
    const plan = planEnrichment(episodes, recheck);

    const toLoad = [...plan.keysBySeason.keys()].filter((season) => !loaded.has(season));
    if (toLoad.length > 0) {
      // The profile's language: the translated names load beside the §1 seasons (their fallback), in parallel.
      const [result, translated] = await Promise.all([
        deps.cache.load(showId, toLoad, options.prefetched ? { prefetched: options.prefetched } : undefined),
        // The show's own name rides along: the same TMDB request, and progress needs it next.
        names && language !== DEFAULT_LANGUAGE ? names.load(showId, toLoad, language, { includeShow: true }) : undefined,
      ]);
      tmdbCalls += result.tmdbCalls + (translated?.tmdbCalls ?? 0);
      for (const [season, seasonResult] of result.seasons) loaded.set(season, seasonResult);
      for (const [season, byEpisode] of translated?.seasons ?? []) loadedNames.set(season, byEpisode);
    }

    const updates: EpisodeUpdate[] = [];
    const pendingSeasons: number[] = [];
    const refused: AppError[] = [];
    let notFound = 0;
    for (const [season, keys] of plan.keysBySeason) {
      const result = loaded.get(season) as SeasonResult;
      if (result.state === "unavailable" && result.error.code === "failed-precondition") {
        // A season the cache refuses (too big): the rest of the show is still enriched, then it is reported.
        refused.push(result.error);
        continue;
      }
      if (result.state === "unavailable") throw result.error;
      if (result.state === "pending") {
        pendingSeasons.push(season);
        continue;
      }
      const outcome = enrichmentUpdates(episodes, keys, localizeSeasonEpisodes(result.episodes, loadedNames.get(season)));
      if (language !== DEFAULT_LANGUAGE && !loadedNames.has(season)) {
        // No names in the profile's language yet (another request is fetching them, or TMDB failed): the
        // other fields are written, the name is left missing so the season is enriched again later.
        pendingSeasons.push(season);
        for (const update of outcome.updates) delete update.fields.episodeName;
        updates.push(...outcome.updates.filter((update) => Object.keys(update.fields).length > 0));
      } else updates.push(...outcome.updates);
      notFound += outcome.notFound;
    }
    pendingSeasons.sort((a, b) => a - b);
    const summary: EnrichShowResult = {
      showId,
      enriched: updates.length,
      alreadyEnriched: plan.alreadyEnriched,
      notFound,
      pendingSeasons,
      malformedKeys: plan.malformedKeys,
    };

    const answer = () => {
      if (refused.length > 0) throw refused[0];
      return summary;
    };
    if (updates.length === 0 || !snap.exists) {
      logShowEnriched({ uid, ...summary, wrote: false, tmdbCalls, durationMs: Date.now() - started });
      return answer();
    }
    // Written only if the document is unchanged since `snap` (1 MiB and `showId` kept by the repository);
    // false: the user changed it while we worked, so read it again and recompute.
    if (await writeEnrichment(snap, updates)) {
      logShowEnriched({ uid, ...summary, wrote: true, tmdbCalls, durationMs: Date.now() - started });
      return answer();
    }
  }
  throw new AppError("unavailable", `episode_tracking/${showId} kept changing while it was being enriched; try again`);
}

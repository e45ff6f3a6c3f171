import type { Firestore } from "firebase-admin/firestore";
import pLimit from "p-limit";
import type { AppContext } from "../shared/app";
import { logLibraryLoaded } from "../shared/logs";
import { isHiddenStatus } from "../library/schemas";
import type { TrackingDocWithState } from "../tracking/showState";
import { trackingCollection, trackingRef } from "../tracking/trackingDoc";
import { utcDate } from "../shared/dates";
import { activityMillis, computeShowProgress } from "./counting";
import { showToday } from "../language/airTime";
import { localizedNames } from "../language/localize";
import { readPreferences } from "../language/preferences";
import { namedProgress, progressNameRequests, progressNamesUnloaded } from "./localizeProgress";
import {
  isServable,
  libraryAnswer,
  readLibrarySummary,
  RECOMPUTE_NEXT_VIEW,
  staleAtOf,
  writeBackEntries,
  type LibraryEntry,
  type SummaryBudgets,
} from "./librarySummary";
import type { GetLibraryRequest, GetLibraryResponse } from "./schemas";
import { loadShowCatalog, trackedSeasons } from "./showCatalog";
import { readWarmCatalogs } from "./warmCatalogs";
import { getAllChunked } from "../shared/firestore";
import { isShowId } from "../shared/validation";

/** Shows loaded through the cache at once when their cache documents are not warm (may call TMDB). */
const COLD_SHOW_CONCURRENCY = 4;

/** `summaryBudgets`: the summary's layout (tests shard small libraries with small ones). */
type LibraryContext = Pick<AppContext, "db" | "cache" | "clock" | "config"> & { summaryBudgets?: SummaryBudgets };

interface TrackedShow {
  showId: number;
  tracking: TrackingDocWithState;
}

/**
 * THE library computation of a set of shows: each show's progress by `computeShowProgress`, from its
 * tracking document and the cache, named in `language` (`localizeEntries`). Warm shows are answered from
 * two batched reads of the cache documents, without TMDB; the others go through the cache one show at a
 * time (bounded), and a show TMDB cannot answer for right now is still listed, from the user's data (and
 * recomputed on the next view).
 */
async function computeEntries(ctx: LibraryContext, shows: TrackedShow[], now: Date, language: string) {
  const today = utcDate(now);
  const warm = await readWarmCatalogs(
    ctx.db,
    ctx.config.cache,
    shows.map((s) => s.showId),
    false,
    now,
  );
  const limit = pLimit(COLD_SHOW_CONCURRENCY);
  let tmdbCalls = 0;
  const entries = await Promise.all(
    shows.map(async ({ showId, tracking }): Promise<LibraryEntry> => {
      const input = { showId, tracking, today, now, includeSpecials: false };
      const entry = { status: tracking.status ?? ("watching" as const), activity: activityMillis(tracking), rev: 0 };
      const cached = warm.get(showId);
      if (cached) {
        const catalog = "catalog" in cached ? cached.catalog : null;
        const progress = computeShowProgress({ ...input, catalog, name: catalog?.facts.name ?? null });
        return { ...entry, progress, staleAt: staleAtOf({ catalog, expiresAt: cached.expiresAt }, showToday(catalog?.facts, now)) };
      }
      const load = await limit(() =>
        loadShowCatalog(ctx.cache, showId, { hintSeasons: trackedSeasons(tracking, false), includeSpecials: false }),
      );
      tmdbCalls += load.tmdbCalls;
      return {
        ...entry,
        progress: computeShowProgress({ ...input, catalog: load.catalog, name: load.name }),
        staleAt: staleAtOf(null, today),
      };
    }),
  );
  tmdbCalls += await localizeEntries(ctx, entries, language);
  return { entries: new Map(entries.map((e) => [e.progress.showId, e])), warm: warm.size, tmdbCalls };
}

/**
 * Names the computed entries in the profile's language (CONTRACT §11), in place: the show's name and up
 * next's episode name, the translation where TMDB has a real one, else the default-language name. One
 * `localizedNames` call for all of them (warm: one batched read of the name documents; nothing at all in
 * the default language). Only entries being recomputed pay it: the summary stores these names, so a warm
 * view in French reads what an English one does. Returns the TMDB requests it made.
 *
 * A name the cache could not give now (another request holds the names' lock, TMDB failed) is the
 * fallback, and its entry is due again on the next view (`RECOMPUTE_NEXT_VIEW`) rather than stored with it
 * until its `staleAt`. Otherwise names do not shorten `staleAt`: a translation refreshed in the names cache
 * (its documents follow the §1 documents' 7/30-day freshness and six-month rule, cache/namesCache.ts)
 * reaches the summary when the entry is next recomputed: on a tracking write, when the nightly job marks
 * the show changed on TMDB, on the next air date, or at the latest when the show's §1 cache documents
 * expire (the same 7/30 days), since every recomputation reads the names afresh.
 */
async function localizeEntries(ctx: LibraryContext, entries: LibraryEntry[], language: string): Promise<number> {
  const book = await localizedNames(ctx.cache.names, language, progressNameRequests(entries.map(({ progress }) => progress)));
  for (const entry of entries) {
    entry.progress = namedProgress(book, entry.progress);
    if (progressNamesUnloaded(book, entry.progress)) entry.staleAt = Math.min(entry.staleAt, RECOMPUTE_NEXT_VIEW);
  }
  return book.tmdbCalls;
}

const trackedShowsOf = (docs: Array<{ id: string; data(): unknown }>): TrackedShow[] =>
  docs.flatMap((doc) => (isShowId(Number(doc.id)) ? [{ showId: Number(doc.id), tracking: doc.data() as TrackingDocWithState }] : []));

/**
 * Progress of every show the user tracks, newest activity first (latest watch or backend update; ties
 * by show id); paused and dropped shows only with `includeHidden` (docs/API.md: library callables), without up next.
 *
 * Served from the library summary (`users/{uid}/library/summary` and its shards, progress/librarySummary.ts):
 * one read of the index and one batched read of its shards, a constant number of documents whatever the
 * library's size (1 up to about 1,500 shows, 4 for 5,000). Only entries that are stale (a tracking write
 * marked them, an episode aired, a cache document expired) or missing are recomputed, with
 * `computeEntries`, and written back. When the summary does not know every tracked show (documents written
 * before it existed), the tracking documents are listed once and the summary rebuilt and marked `complete`.
 * The answer is always the one `getLibraryFull` computes from scratch.
 *
 * Names are stored in the profile's language (the summary's `language`), read alongside the summary: a
 * warm view costs the same reads in every language. When the summary's language is not the profile's (a
 * switch since it was written), every entry is stale: all are recomputed in the profile's language and
 * written back with it, once (the switch also lowered their `staleAt` for listening clients:
 * `markLibraryLanguageStale`).
 */
export async function getLibrary(ctx: LibraryContext, uid: string, request: GetLibraryRequest = {}): Promise<GetLibraryResponse> {
  const started = Date.now();
  const now = ctx.clock();
  const [read, { language }] = await Promise.all([readLibrarySummary(ctx.db, uid), readPreferences(ctx.db, uid)]);
  const { stored, complete } = read;
  // Entries in another language than the profile's are never served (a summary is in one language).
  const servable = (entry: (typeof stored)[string] | undefined): entry is LibraryEntry =>
    read.language === language && isServable(entry, now);

  // Which shows are tracked, and the tracking documents of those to recompute.
  let toCompute: TrackedShow[];
  let removed: number[] = [];
  const served = new Map<number, LibraryEntry>();
  if (complete) {
    const stale: number[] = [];
    for (const [id, entry] of Object.entries(stored)) {
      if (servable(entry)) served.set(Number(id), entry);
      else if (isShowId(Number(id))) stale.push(Number(id));
    }
    const snaps = await readTracking(ctx.db, uid, stale);
    toCompute = trackedShowsOf(snaps.filter((snap) => snap.exists));
    removed = stale.filter((_, i) => !snaps[i].exists);
  } else {
    const listed = trackedShowsOf((await trackingCollection(ctx.db, uid).get()).docs);
    const tracked = new Set(listed.map((s) => s.showId));
    removed = Object.keys(stored)
      .map(Number)
      .filter((id) => !tracked.has(id));
    toCompute = listed.filter(({ showId }) => {
      const entry = stored[String(showId)];
      if (!servable(entry)) return true;
      served.set(showId, entry);
      return false;
    });
  }

  const computed = await computeEntries(ctx, toCompute, now, language);
  for (const [showId, entry] of computed.entries) entry.rev = stored[String(showId)]?.rev ?? 0;
  await writeBackEntries(ctx.db, uid, read, computed.entries, removed, {
    rebuilt: !complete,
    budgets: ctx.summaryBudgets,
    language,
  });

  const all = [...served.values(), ...computed.entries.values()];
  logLibraryLoaded({
    uid,
    shows: all.length,
    warm: served.size + computed.warm,
    tmdbCalls: computed.tmdbCalls,
    durationMs: Date.now() - started,
  });
  return { shows: libraryAnswer(all, request.includeHidden === true) };
}

const readTracking = (db: Firestore, uid: string, showIds: number[]) =>
  getAllChunked(
    db,
    showIds.map((showId) => trackingRef(db, uid, showId)),
  );

/**
 * The library computed from scratch: every tracking document, every show through `computeEntries`.
 * No summary is read or written. The reference `getLibrary` must equal (tests, bench baseline).
 */
export async function getLibraryFull(ctx: LibraryContext, uid: string, request: GetLibraryRequest = {}): Promise<GetLibraryResponse> {
  const [snapshot, { language }] = await Promise.all([trackingCollection(ctx.db, uid).get(), readPreferences(ctx.db, uid)]);
  const listed = trackedShowsOf(snapshot.docs);
  // Paused and dropped shows leave the library unless asked for (docs/API.md: library callables): not even computed.
  const shows = listed.filter(({ tracking }) => request.includeHidden === true || !isHiddenStatus(tracking.status));
  const { entries } = await computeEntries(ctx, shows, ctx.clock(), language);
  return { shows: libraryAnswer(entries.values(), request.includeHidden === true) };
}

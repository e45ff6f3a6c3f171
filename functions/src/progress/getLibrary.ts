import pLimit from "p-limit";
import type { AppContext } from "../app";
import { logLibraryLoaded } from "../logs";
import { isHiddenStatus, type ShowStatus } from "../library/schemas";
import type { TrackingDocWithState } from "../tracking/showState";
import { trackingCollection } from "../tracking/trackingDoc";
import { activityMillis, computeShowProgress, utcDate } from "./counting";
import type { GetLibraryRequest, GetLibraryResponse, LibraryShow, ShowProgress } from "./schemas";
import { loadShowCatalog, trackedSeasons } from "./showCatalog";
import { readWarmCatalogs } from "./warmCatalogs";

/** Shows loaded through the cache at once when their cache documents are not warm (may call TMDB). */
const COLD_SHOW_CONCURRENCY = 4;

/**
 * Progress of every show the user tracks, newest activity first (latest watch or backend update; ties
 * by show id). Warm shows are answered from two batched reads of the cache documents, without TMDB;
 * the others go through the cache one show at a time (bounded), and a show TMDB cannot answer for
 * right now is still listed, from the user's data.
 */
export async function getLibrary(
  ctx: Pick<AppContext, "db" | "cache" | "clock" | "config">,
  uid: string,
  request: GetLibraryRequest = {},
): Promise<GetLibraryResponse> {
  const started = Date.now();
  const snapshot = await trackingCollection(ctx.db, uid).get();
  const shows = snapshot.docs.flatMap((doc) => {
    const showId = Number(doc.id);
    const tracking = doc.data() as TrackingDocWithState;
    // Paused and dropped shows leave the library unless asked for (CONTRACT §7).
    if (isHiddenStatus(tracking.status) && !request.includeHidden) return [];
    return Number.isSafeInteger(showId) && showId > 0 ? [{ showId, tracking }] : [];
  });
  const now = ctx.clock();
  const today = utcDate(now);
  const warm = await readWarmCatalogs(ctx.db, ctx.config.cache, shows.map((s) => s.showId), false, now);

  const limit = pLimit(COLD_SHOW_CONCURRENCY);
  let tmdbCalls = 0;
  const progress = await Promise.all(
    shows.map(async ({ showId, tracking }): Promise<{ progress: ShowProgress; activity: number }> => {
      const input = { showId, tracking, today, includeSpecials: false };
      const cached = warm.get(showId);
      if (cached) {
        const catalog = "catalog" in cached ? cached.catalog : null;
        return { progress: computeShowProgress({ ...input, catalog, name: catalog?.facts.name ?? null }), activity: activityMillis(tracking) };
      }
      const load = await limit(() => loadShowCatalog(ctx.cache, showId, { hintSeasons: trackedSeasons(tracking, false), includeSpecials: false }));
      tmdbCalls += load.tmdbCalls;
      return { progress: computeShowProgress({ ...input, catalog: load.catalog, name: load.name }), activity: activityMillis(tracking) };
    }),
  );
  progress.sort((a, b) => b.activity - a.activity || a.progress.showId - b.progress.showId);
  logLibraryLoaded({ uid, shows: shows.length, warm: warm.size, tmdbCalls, durationMs: Date.now() - started });
  const statusOf = new Map(shows.map(({ showId, tracking }) => [showId, tracking.status ?? "watching"]));
  return { shows: progress.map((p) => libraryEntry(p.progress, statusOf.get(p.progress.showId) ?? "watching")) };
}

/** A hidden (paused, dropped) show listed on request has nothing up next. */
function libraryEntry(progress: ShowProgress, status: ShowStatus): LibraryShow {
  return { ...progress, status, nextEpisode: isHiddenStatus(status) ? null : progress.nextEpisode };
}

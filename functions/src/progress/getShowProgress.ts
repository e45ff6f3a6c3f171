import type { AppContext } from "../shared/app";
import { notFound } from "../shared/errors";
import { logShowProgress } from "../shared/logs";
import { trackingRef, type TrackingDoc } from "../tracking/trackingDoc";
import { utcDate } from "../shared/dates";
import { computeShowProgress } from "./counting";
import { localizeProgress } from "./localizeProgress";
import type { GetShowProgressRequest, ShowProgress } from "./schemas";
import { loadShowCatalog, trackedSeasons } from "./showCatalog";

/**
 * One show's progress. Totals come from the show and season caches; when TMDB data is not available
 * (TMDB down, or a show it does not know) the answer still comes from the user's data. Only a show
 * that is neither tracked nor known to TMDB is `not-found`.
 */
export async function getShowProgress(
  ctx: Pick<AppContext, "db" | "cache" | "clock">,
  uid: string,
  { showId, includeSpecials = false }: GetShowProgressRequest,
): Promise<ShowProgress> {
  const started = Date.now();
  const snap = await trackingRef(ctx.db, uid, showId).get();
  const tracking = (snap.data() ?? {}) as TrackingDoc;
  const load = await loadShowCatalog(ctx.cache, showId, { hintSeasons: trackedSeasons(tracking, includeSpecials), includeSpecials });
  if (load.notFound && !snap.exists) throw notFound(`Show ${showId} does not exist on TMDB`);
  const progress = computeShowProgress({
    showId,
    tracking,
    catalog: load.catalog,
    name: load.name,
    today: utcDate(ctx.clock()),
    now: ctx.clock(),
    includeSpecials,
  });
  const [localized] = await localizeProgress(ctx, uid, [progress]);
  logShowProgress({
    uid,
    showId,
    tmdbKnown: load.catalog !== null,
    problem: load.problem?.code ?? null,
    tmdbCalls: load.tmdbCalls,
    durationMs: Date.now() - started,
  });
  return localized;
}

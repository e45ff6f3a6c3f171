import type { AppContext } from "../shared/app";
import { showToday } from "../language/airTime";
import { logEpisodeAdvanced, logProgressSet } from "../shared/logs";
import { compareEpisodes } from "../tracking/episodeKeys";
import { episodePlay } from "../tracking/plays";
import { recordPlayInTransaction, setPointer } from "../tracking/repository";
import { trackingRef, type TrackingDoc } from "../tracking/trackingDoc";
import { advanceStart, nextInAirOrder } from "./advance";
import type { AdvanceEpisodeRequest, AdvanceEpisodeResponse, SetProgressRequest, SetProgressResponse } from "./schemas";
import { requireEpisode } from "../cache/requireEpisode";
import { loadShowCatalog, requireCatalog } from "./showCatalog";

/**
 * Points the show's `current` at an episode TMDB knows (`not-found` otherwise). Only the pointer and
 * `updatedAt` are written (no read of the possibly large document); a show the user did not track
 * yet gets a document with no episodes.
 */
export async function setProgress(
  ctx: Pick<AppContext, "db" | "cache" | "clock">,
  uid: string,
  request: SetProgressRequest,
): Promise<SetProgressResponse> {
  const started = Date.now();
  const { showId, season, episode } = request;
  const tmdbCalls = await requireEpisode(ctx.cache, request);
  const current = { season, episode };
  await setPointer(ctx.db, uid, showId, current, ctx.clock());
  logProgressSet({ uid, showId, season, episode, tmdbCalls, durationMs: Date.now() - started });
  return { showId, current };
}

/**
 * Marks the current episode watched (a history play, `source: "app"`) and moves the pointer to the next
 * episode in air order, with the show's shape from the cache. Without a pointer it starts at Trakt's
 * "up next" (the first unwatched aired episode after the last watched one). The pointer, the play and
 * the episode's watched state change in one transaction on the tracking document, so concurrent calls
 * serialize: two calls advance by exactly two, never skipping or repeating an episode. With `from`,
 * a call whose episode is no longer the show's start is a retry: a no-op answering the current state.
 */
export async function advanceEpisode(
  ctx: Pick<AppContext, "db" | "cache" | "clock">,
  uid: string,
  { showId, from: expected }: AdvanceEpisodeRequest,
): Promise<AdvanceEpisodeResponse> {
  const started = Date.now();
  const load = await loadShowCatalog(ctx.cache, showId, { includeSpecials: true });
  const catalog = requireCatalog(load, showId);
  const ref = trackingRef(ctx.db, uid, showId);

  const outcome = await ctx.db.runTransaction(async (tx) => {
    const snap = await tx.get(ref);
    const doc = (snap.data() ?? {}) as TrackingDoc;
    const now = ctx.clock();
    const from = advanceStart(doc, catalog, showToday(catalog.facts, now));
    if (!from) return { from, response: { showId, current: null, completed: true } };
    // A repeat of an advance that already happened: answer where the show is now, change nothing.
    if (expected && compareEpisodes(expected, from) !== 0) return { from: null, response: { showId, current: from, completed: false } };

    const next = nextInAirOrder(catalog.seasons, from);
    const play = episodePlay({ showId, season: from.season, episode: from.episode, watchedAt: now, source: "app" });
    // The same viewing already reported (the player finished it a minute ago) is not a second play.
    await recordPlayInTransaction(tx, ctx.db, uid, play, { now, tracking: snap, fields: { current: next } });
    return { from, response: { showId, current: next, completed: next === null } };
  });
  logEpisodeAdvanced({
    uid,
    showId,
    from: outcome.from,
    to: outcome.response.current,
    completed: outcome.response.completed,
    tmdbCalls: load.tmdbCalls,
    durationMs: Date.now() - started,
  });
  return outcome.response;
}

import { Timestamp } from "firebase-admin/firestore";
import type { AppContext } from "../app";
import { applyPlays, assertTrackingFits, historyCollection, historyDocOf, nativePlayId, writeTrackingChanges, type Play } from "../history/plays";
import { isAlreadyExists, isNotFound } from "../firestoreErrors";
import { logEpisodeAdvanced, logProgressSet } from "../logs";
import { trackingRef, type TrackingDoc } from "../tracking/trackingDoc";
import { advanceStart, nextInAirOrder } from "./advance";
import { utcDate } from "./counting";
import type { AdvanceEpisodeRequest, AdvanceEpisodeResponse, SetProgressRequest, SetProgressResponse } from "./schemas";
import { requireEpisode } from "../cache/requireEpisode";
import { loadShowCatalog, requireCatalog } from "./showCatalog";


/**
 * Points the show's `current` at an episode TMDB knows (`not-found` otherwise). Only the pointer and
 * `updatedAt` are written (no read of the possibly large document); a show the user did not track
 * yet gets a document with no episodes.
 */
export async function setProgress(ctx: Pick<AppContext, "db" | "cache" | "clock">, uid: string, request: SetProgressRequest): Promise<SetProgressResponse> {
  const started = Date.now();
  const { showId, season, episode } = request;
  const tmdbCalls = await requireEpisode(ctx.cache, request);

  const ref = trackingRef(ctx.db, uid, showId);
  const current = { season, episode };
  // `showId` lets the nightly job find the document through its collection-group index.
  const fields = { current, showId, updatedAt: Timestamp.fromDate(ctx.clock()) };
  try {
    await ref.update(fields);
  } catch (error) {
    if (!isNotFound(error)) throw error;
    try {
      await ref.create({ episodes: {}, ...fields });
    } catch (raced) {
      // Somebody created the document in between: it exists now, so the update applies.
      if (!isAlreadyExists(raced)) throw raced;
      await ref.update(fields);
    }
  }
  logProgressSet({ uid, showId, season, episode, tmdbCalls, durationMs: Date.now() - started });
  return { showId, current };
}

/**
 * Marks the current episode watched (a history play, `source: "app"`) and moves the pointer to the next
 * episode in air order, with the show's shape from the cache. Without a pointer it starts at Trakt's
 * "up next" (the first unwatched aired episode after the last watched one). The pointer, the play and
 * the episode's watched state change in one transaction on the tracking document, so concurrent calls
 * serialize: two calls advance by exactly two, never skipping or repeating an episode.
 */
export async function advanceEpisode(
  ctx: Pick<AppContext, "db" | "cache" | "clock">,
  uid: string,
  { showId }: AdvanceEpisodeRequest,
): Promise<AdvanceEpisodeResponse> {
  const started = Date.now();
  const load = await loadShowCatalog(ctx.cache, showId, { includeSpecials: true });
  const catalog = requireCatalog(load, showId);
  const ref = trackingRef(ctx.db, uid, showId);
  const history = historyCollection(ctx.db, uid);

  const outcome = await ctx.db.runTransaction(async (tx) => {
    const snap = await tx.get(ref);
    const doc = (snap.data() ?? {}) as TrackingDoc;
    const now = ctx.clock();
    const from = advanceStart(doc, catalog, utcDate(now));
    if (!from) return { from, response: { showId, current: null, completed: true } };

    const next = nextInAirOrder(catalog.seasons, from);
    const play: Play = {
      historyId: nativePlayId("app", showId, from.season, from.episode, now),
      showId,
      season: from.season,
      episode: from.episode,
      watchedAt: now,
      source: "app",
      sourceId: null,
      action: "watch",
    };
    // The id is the play's content: the same episode marked in the same millisecond is one play.
    const duplicate = (await tx.get(history.doc(play.historyId))).exists;
    const changed = duplicate ? {} : applyPlays(doc.episodes ?? {}, [play]);
    assertTrackingFits(ref, doc, changed);
    if (!duplicate) tx.create(history.doc(play.historyId), historyDocOf(play));
    // A new document carries `showId` for the nightly job's collection-group index.
    writeTrackingChanges(tx, ref, snap.exists, doc, changed, Timestamp.fromDate(now), { current: next });
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

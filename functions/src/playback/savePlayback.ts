import { Timestamp, type Firestore, type Transaction } from "firebase-admin/firestore";
import type { AppContext } from "../app";
import { applyPlays, assertTrackingFits, historyCollection, historyDocOf, nativePlayId, writeTrackingChanges, type Play } from "../history/plays";
import { logPlaybackSaved } from "../logs";
import { trackingRef, type TrackingDoc } from "../tracking/trackingDoc";
import { mediaKeyOf, playbackRef, playbackResponse, storedMedia, type PlaybackDoc } from "./documents";
import { nextPlaybackState, type PlaybackState } from "./math";
import { requireMedia } from "./media";
import type { EpisodeMedia, Playback, SavePlaybackRequest } from "./schemas";

/** Ten players saving one item at once must all land: more retries than the SDK's default five. */
const MAX_TRANSACTION_ATTEMPTS = 15;

type Outcome = { kind: "validate" } | { kind: "saved"; response: Playback; stored: boolean; playRecorded: boolean };

/**
 * Saves a player's position for one episode or movie (see `nextPlaybackState`). The media is checked
 * against TMDB (through the caches) only when the item has no document yet, so a player saving every
 * few seconds costs one document read and write. The save that makes an episode watched also marks it
 * watched in `episode_tracking` and records its one history play (`source: "playback"`), in the same
 * transaction that flips `watched`: however many saves race past the threshold, one of them does it.
 */
export async function savePlayback(ctx: Pick<AppContext, "db" | "tmdb" | "cache" | "clock" | "config">, uid: string, request: SavePlaybackRequest): Promise<Playback> {
  const started = Date.now();
  const { media } = request;
  const ref = playbackRef(ctx.db, uid, media);
  let validated = false;
  let tmdbCalls = 0;
  for (;;) {
    const outcome = await ctx.db.runTransaction(
      async (tx): Promise<Outcome> => {
        const snap = await tx.get(ref);
        const previous = snap.exists ? (snap.data() as PlaybackDoc) : undefined;
        if (!previous && !validated) return { kind: "validate" };
        const step = nextPlaybackState(previous && stateOf(previous), request, ctx.config.playbackWatchedPercent);
        if (!step.store) return { kind: "saved", response: playbackResponse(media, step.state, null), stored: false, playRecorded: false };

        const now = ctx.clock();
        const playRecorded = step.becameWatched && media.type === "episode";
        if (playRecorded) await recordEpisodePlay(ctx.db, tx, uid, media, now);
        const timestamp = Timestamp.fromDate(now);
        const doc: PlaybackDoc = { media: storedMedia(media), ...step.state, lastWatchedAt: timestamp, updatedAt: timestamp };
        tx.set(ref, doc);
        return { kind: "saved", response: playbackResponse(media, step.state, { lastWatchedAt: now, updatedAt: now }), stored: true, playRecorded };
      },
      { maxAttempts: MAX_TRANSACTION_ATTEMPTS },
    );
    if (outcome.kind === "validate") {
      tmdbCalls += await requireMedia(ctx, media);
      validated = true;
      continue;
    }
    logPlaybackSaved({
      uid,
      mediaKey: mediaKeyOf(media),
      completionPercentage: outcome.response.completionPercentage,
      stored: outcome.stored,
      watched: outcome.response.watched,
      playRecorded: outcome.playRecorded,
      tmdbCalls,
      durationMs: Date.now() - started,
    });
    return outcome.response;
  }
}

const stateOf = (doc: PlaybackDoc): PlaybackState => ({
  positionSeconds: doc.positionSeconds,
  durationSeconds: doc.durationSeconds,
  watchedSeconds: doc.watchedSeconds ?? 0,
  completionPercentage: doc.completionPercentage,
  watched: doc.watched === true,
});

/** Marks the episode watched and writes its play, inside the caller's transaction (reads first, then writes). */
async function recordEpisodePlay(db: Firestore, tx: Transaction, uid: string, media: EpisodeMedia, now: Date): Promise<void> {
  const ref = trackingRef(db, uid, media.showId);
  const historyId = nativePlayId("playback", media.showId, media.season, media.episode, now);
  const historyRef = historyCollection(db, uid).doc(historyId);
  const [snap, existing] = await tx.getAll(ref, historyRef);
  // The id is the play's content: an identical play (same episode, same millisecond) is already there.
  if (existing.exists) return;
  const doc = (snap.data() ?? {}) as TrackingDoc;
  const play: Play = {
    historyId,
    showId: media.showId,
    season: media.season,
    episode: media.episode,
    watchedAt: now,
    source: "playback",
    sourceId: null,
    action: "scrobble",
  };
  const changed = applyPlays(doc.episodes ?? {}, [play]);
  assertTrackingFits(ref, doc, changed);
  tx.create(historyRef, historyDocOf(play));
  // A new document carries `showId` for the nightly job's collection-group index.
  writeTrackingChanges(tx, ref, snap.exists, doc, changed, Timestamp.fromDate(now));
}

import { Timestamp } from "firebase-admin/firestore";
import type { AppContext } from "../shared/app";
import { logPlaybackSaved } from "../shared/logs";
import { episodePlay } from "../tracking/plays";
import { recordPlayInTransaction } from "../tracking/repository";
import { mediaKeyOf, playbackRef, playbackResponse, storedMedia, type PlaybackDoc } from "./documents";
import { nextPlaybackState, type PlaybackState } from "./math";
import { requireMedia } from "./media";
import type { Playback, SavePlaybackRequest } from "./schemas";

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
export async function savePlayback(
  ctx: Pick<AppContext, "db" | "tmdb" | "cache" | "clock" | "config">,
  uid: string,
  request: SavePlaybackRequest,
): Promise<Playback> {
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
        let playRecorded = false;
        if (step.becameWatched && media.type === "episode") {
          const { showId, season, episode } = media;
          const play = episodePlay({ showId, season, episode, watchedAt: now, source: "playback", action: "scrobble" });
          playRecorded = (await recordPlayInTransaction(tx, ctx.db, uid, play, { now })).recorded;
        }
        const timestamp = Timestamp.fromDate(now);
        const doc: PlaybackDoc = { media: storedMedia(media), ...step.state, lastWatchedAt: timestamp, updatedAt: timestamp };
        tx.set(ref, doc);
        return {
          kind: "saved",
          response: playbackResponse(media, step.state, { lastWatchedAt: now, updatedAt: now }),
          stored: true,
          playRecorded,
        };
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

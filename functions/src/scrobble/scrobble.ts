import type { AppContext } from "../shared/app";
import { AppError } from "../shared/errors";
import { mediaKeyOf } from "../playback/documents";
import { requireMedia } from "../playback/media";
import { logScrobbled } from "./logs";
import type { ScrobbleRequest, ScrobbleResponse } from "./schemas";
import { knownRuntimeSeconds, NOMINAL_DURATION_SECONDS, recordCompletion, savePosition } from "./viewing";

/**
 * `scrobble` with Trakt's rules (README: Scrobbling and media-server webhooks). The media must exist on TMDB (`not-found`). `stop` at
 * or above `PLAYBACK_WATCHED_PERCENT` records one play (`source: "scrobble"`) and marks the item
 * watched; repeated while the last scrobble of the item is younger than its runtime it is
 * `already-exists` and records nothing. Anything else keeps the position in the item's playback
 * document (on its known duration, or a nominal hour when only the percentage is known).
 */
export async function scrobble(
  ctx: Pick<AppContext, "db" | "tmdb" | "cache" | "clock" | "config">,
  uid: string,
  request: ScrobbleRequest,
): Promise<ScrobbleResponse> {
  const started = Date.now();
  const { action, media, progress } = request;
  const mediaKey = mediaKeyOf(media);
  const tmdbCalls = await requireMedia(ctx, media);
  const runtimeSeconds = await knownRuntimeSeconds(ctx, uid, media);
  const log = (result: string) => logScrobbled({ uid, mediaKey, action, progress, result, tmdbCalls, durationMs: Date.now() - started });

  if (action === "stop" && progress >= ctx.config.playbackWatchedPercent) {
    const completion = await recordCompletion(ctx, uid, media, { source: "scrobble", runtimeSeconds });
    log(completion.outcome);
    if (completion.outcome === "repeat") {
      throw new AppError(
        "already-exists",
        `${mediaKey} was already scrobbled; a new scrobble is possible after ${completion.expiresAt.toISOString()}`,
        {
          mediaKey,
          expiresAt: completion.expiresAt.toISOString(),
        },
      );
    }
    return { action: "scrobble", progress, mediaKey };
  }
  const duration = runtimeSeconds ?? NOMINAL_DURATION_SECONDS;
  await savePosition(ctx, uid, media, (progress / 100) * duration, duration);
  log("position");
  return { action: action === "start" ? "start" : "pause", progress, mediaKey };
}

import { Timestamp, type Firestore } from "firebase-admin/firestore";
import type { AppContext } from "../shared/app";
import { loadMovie } from "../cache/movieCache";
import { mediaKeyOf, playbackRef, storedMedia, type PlaybackDoc } from "../playback/documents";
import { savePlayback } from "../playback/savePlayback";
import type { Media, Playback } from "../playback/schemas";
import { episodePlay, moviePlay, type PlaySource } from "../tracking/plays";
import { recordPlayInTransaction, TRANSACTION_ATTEMPTS } from "../tracking/repository";

/**
 * A viewing reported by a player or a media server, in two steps: positions (kept in the playback
 * documents, through `savePlayback`) and completions (one play through the tracking repository).
 * A completion of an item whose last completion is younger than its runtime is the same viewing
 * reported again (Trakt's rule; media servers resend): `users/{uid}/scrobbles/{mediaKey}` remembers
 * the last one for that check.
 */
export type ViewingSource = Extract<PlaySource, "scrobble" | "plex" | "jellyfin">;

/** The repeat window when the runtime is unknown (Trakt's 10 minutes). */
export const UNKNOWN_RUNTIME_SECONDS = 600;
/** The duration a playback document gets for a percentage alone, when no runtime is known. */
export const NOMINAL_DURATION_SECONDS = 3600;
/** Playback documents take durations up to eleven days (playback/schemas.ts MAX_MEDIA_SECONDS). */
const MAX_DURATION_SECONDS = 1_000_000;

type Deps = Pick<AppContext, "db" | "tmdb" | "cache" | "clock" | "config">;

/** `users/{uid}/scrobbles/{mediaKey}`: the last completion reported for an item. Written only here. */
export interface ScrobbleDoc {
  media: Media;
  source: ViewingSource;
  scrobbledAt: Timestamp;
  /** Until then a completion of the same item is a repeat: `scrobbledAt` + runtime (10 min when unknown). */
  expiresAt: Timestamp;
}

export const scrobbleRef = (db: Firestore, uid: string, media: Media) =>
  db.collection("users").doc(uid).collection("scrobbles").doc(mediaKeyOf(media));

/**
 * What is known of the item's runtime, without a TMDB call for episodes: the duration its playback
 * document holds (a player reported it), else a movie's cached runtime. Null when unknown.
 */
export async function knownRuntimeSeconds(deps: Deps, uid: string, media: Media): Promise<number | null> {
  const playback = (await playbackRef(deps.db, uid, media).get()).data() as PlaybackDoc | undefined;
  if (playback && playback.durationSeconds > 0) return playback.durationSeconds;
  if (media.type === "movie") {
    const movie = await loadMovie(deps, media.movieId);
    const minutes = "movie" in movie ? movie.movie.runtimeMinutes : null;
    if (minutes && minutes > 0) return minutes * 60;
  }
  return null;
}

/** A player's position, into the same playback document `savePlayback` keeps (its rules, its writes). */
export async function savePosition(
  deps: Deps,
  uid: string,
  media: Media,
  positionSeconds: number,
  durationSeconds: number,
): Promise<Playback> {
  const duration = Math.min(MAX_DURATION_SECONDS, Math.max(1, durationSeconds));
  const position = Math.min(duration, Math.max(0, positionSeconds));
  return savePlayback(deps, uid, { media: storedMedia(media), positionSeconds: position, durationSeconds: duration });
}

export type CompletionOutcome =
  /** The play was recorded. */
  | { outcome: "recorded"; expiresAt: Date }
  /** Another source already recorded this viewing (e.g. the app's mark): no second play. */
  | { outcome: "same-viewing"; expiresAt: Date }
  /** The item's last completion is younger than its runtime: nothing written. */
  | { outcome: "repeat"; expiresAt: Date };

/**
 * Records one completed viewing: one play (`source` as given) unless it repeats the item's last
 * completion within its runtime, then marks the playback document watched. The repeat check and the
 * play are one transaction, so two reports racing each other record one play.
 */
export async function recordCompletion(
  deps: Deps,
  uid: string,
  media: Media,
  options: { source: ViewingSource; runtimeSeconds: number | null },
): Promise<CompletionOutcome> {
  const now = deps.clock();
  const ref = scrobbleRef(deps.db, uid, media);
  const windowSeconds = options.runtimeSeconds ?? UNKNOWN_RUNTIME_SECONDS;
  const outcome = await deps.db.runTransaction(
    async (tx): Promise<CompletionOutcome> => {
      const last = (await tx.get(ref)).data() as ScrobbleDoc | undefined;
      if (last && last.expiresAt.toMillis() > now.getTime()) return { outcome: "repeat", expiresAt: last.expiresAt.toDate() };
      const common = { watchedAt: now, source: options.source, action: "scrobble" };
      const play =
        media.type === "episode"
          ? episodePlay({ ...common, showId: media.showId, season: media.season, episode: media.episode })
          : moviePlay({ ...common, movieId: media.movieId });
      const { recorded } = await recordPlayInTransaction(tx, deps.db, uid, play, { now });
      const expiresAt = new Date(now.getTime() + windowSeconds * 1000);
      tx.set(ref, {
        media: storedMedia(media),
        source: options.source,
        scrobbledAt: Timestamp.fromDate(now),
        expiresAt: Timestamp.fromDate(expiresAt),
      } satisfies ScrobbleDoc);
      return { outcome: recorded ? "recorded" : "same-viewing", expiresAt };
      // A server's stop and scrobble of one item arrive together and contend with the player's save.
    },
    { maxAttempts: TRANSACTION_ATTEMPTS },
  );
  if (outcome.outcome !== "repeat") {
    // The position at the end: the playback document becomes watched (its own play attempt is the same viewing).
    const duration = options.runtimeSeconds ?? NOMINAL_DURATION_SECONDS;
    await savePosition(deps, uid, media, duration, duration);
  }
  return outcome;
}

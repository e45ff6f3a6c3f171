import type { Firestore, Timestamp } from "firebase-admin/firestore";
import type { PlaybackState } from "./math";
import type { Media, Playback } from "./schemas";

/** `users/{uid}/playback/{mediaKey}` (docs/API.md: Firestore paths). */
export interface PlaybackDoc extends PlaybackState {
  media: Media;
  lastWatchedAt: Timestamp;
  updatedAt: Timestamp;
}

/** One key per content item, whatever file or quality plays it. */
export const mediaKeyOf = (media: Media) =>
  media.type === "episode" ? `tv_${media.showId}_${media.season}_${media.episode}` : `movie_${media.movieId}`;

export const playbackCollection = (db: Firestore, uid: string) => db.collection("users").doc(uid).collection("playback");
export const playbackRef = (db: Firestore, uid: string, media: Media) => playbackCollection(db, uid).doc(mediaKeyOf(media));

/** The stored media, with only its own fields (a stray field in a payload never reaches the document). */
export const storedMedia = (media: Media): Media =>
  media.type === "episode"
    ? { type: "episode", showId: media.showId, season: media.season, episode: media.episode }
    : { type: "movie", movieId: media.movieId };

export function playbackResponse(
  media: Media,
  state: PlaybackState,
  timestamps: { lastWatchedAt: Date; updatedAt: Date } | null,
): Playback {
  return {
    mediaKey: mediaKeyOf(media),
    media: storedMedia(media),
    positionSeconds: state.positionSeconds,
    durationSeconds: state.durationSeconds,
    watchedSeconds: state.watchedSeconds,
    completionPercentage: state.completionPercentage,
    watched: state.watched,
    lastWatchedAt: timestamps ? timestamps.lastWatchedAt.toISOString() : null,
    updatedAt: timestamps ? timestamps.updatedAt.toISOString() : null,
  };
}

export const playbackResponseOf = (doc: PlaybackDoc): Playback =>
  playbackResponse(doc.media, doc, { lastWatchedAt: doc.lastWatchedAt.toDate(), updatedAt: doc.updatedAt.toDate() });

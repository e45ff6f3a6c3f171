import type { Firestore, Timestamp } from "firebase-admin/firestore";
import type { PlaySource } from "./plays";

/** `users/{uid}/episode_tracking/{showId}`: the client structure that must stay compatible. */
export interface TrackedEpisode {
  watched?: boolean;
  watchedAt?: Timestamp;
  episodeId?: number;
  episodeName?: string;
  episodeAirDate?: string | null;
  posterPath?: string;
  plays?: number;
}

export interface TrackingDoc {
  episodes?: Record<string, TrackedEpisode>;
  lastWatchedAt?: Timestamp;
  current?: { season: number; episode: number } | null;
  updatedAt?: Timestamp;
  /**
   * The document's own id as a number. Firestore cannot query a collection group by document id
   * alone, so this field is how the nightly job finds every user tracking a show (collection-group
   * index on `episode_tracking.showId`). Writers that create tracking documents should set it.
   */
  showId?: number;
  /**
   * Per episode key, the distinct (time, source) of the episode's latest plays: what the same-viewing rule
   * compares a new play with (./recentPlays). A top-level map, so episode entries keep the client's shape.
   */
  recentPlays?: Record<string, RecentPlay[]>;
  /** Episode keys whose `recentPlays` dropped older plays (./recentPlays). */
  recentPlaysPartial?: Record<string, boolean>;
}

export interface RecentPlay {
  at: Timestamp;
  source: PlaySource;
}

export const TRACKING_COLLECTION = "episode_tracking";

export const trackingCollection = (db: Firestore, uid: string) => db.collection("users").doc(uid).collection(TRACKING_COLLECTION);
export const trackingRef = (db: Firestore, uid: string, showId: number) => trackingCollection(db, uid).doc(String(showId));

/**
 * `users/{uid}/movie_tracking/{movieId}`: a movie's watch state (`plays`, `lastWatchedAt`), the movie
 * counterpart of a tracking document. Written with every change to the movie's plays, so it also
 * versions them: a transaction that reads it sees every play committed before (see `playsAsOf`).
 */
export interface MovieTrackingDoc {
  movieId: number;
  plays: number;
  lastWatchedAt: Timestamp | null;
  updatedAt: Timestamp;
}

export const MOVIE_TRACKING_COLLECTION = "movie_tracking";

export const movieTrackingRef = (db: Firestore, uid: string, movieId: number) =>
  db.collection("users").doc(uid).collection(MOVIE_TRACKING_COLLECTION).doc(String(movieId));

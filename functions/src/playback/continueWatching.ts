import type { Firestore } from "firebase-admin/firestore";
import { isNotFound } from "../shared/firestoreErrors";
import { playbackCollection, playbackRef, playbackResponseOf, type PlaybackDoc } from "./documents";
import { DEFAULT_CONTINUE_WATCHING, type ClearPlaybackResponse, type GetContinueWatchingResponse, type Media } from "./schemas";

/**
 * In-progress items (started, not watched), most recently watched first: one indexed query
 * (`watched ==`, `lastWatchedAt desc`; see firestore.indexes.json). Items below 5 % are never stored,
 * so every unwatched document is a started one.
 */
export async function getContinueWatching(
  db: Firestore,
  uid: string,
  limit = DEFAULT_CONTINUE_WATCHING,
): Promise<GetContinueWatchingResponse> {
  const snapshot = await playbackCollection(db, uid).where("watched", "==", false).orderBy("lastWatchedAt", "desc").limit(limit).get();
  return { items: snapshot.docs.map((doc) => playbackResponseOf(doc.data() as PlaybackDoc)) };
}

/**
 * Forgets an item's playback state ("mark unwatched" for the resume list). The episode's watched
 * state and history plays are left alone: they are the user's record, changed through markWatched.
 */
export async function clearPlayback(db: Firestore, uid: string, media: Media): Promise<ClearPlaybackResponse> {
  try {
    await playbackRef(db, uid, media).delete({ exists: true });
    return { deleted: true };
  } catch (error) {
    if (isNotFound(error)) return { deleted: false };
    throw error;
  }
}

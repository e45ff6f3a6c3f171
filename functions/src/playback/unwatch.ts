import type { Firestore } from "firebase-admin/firestore";
import { isNotFound } from "../shared/firestoreErrors";
import type { EpisodeRef } from "../tracking/episodeKeys";
import { playbackCollection } from "./documents";

/**
 * After an episode is un-marked, its player state must let the next completed viewing count again:
 * `watched` (otherwise sticky) goes back to false on the selected episodes of the show, position and
 * `watchedSeconds` stay. Found by query (not by the un-marked list), so a retried un-mark still does it.
 * Returns how many playback documents changed.
 */
export async function forgetPlaybackWatched(
  db: Firestore,
  uid: string,
  showId: number,
  select: (ref: EpisodeRef) => boolean,
): Promise<number> {
  const watched = await playbackCollection(db, uid).where("media.showId", "==", showId).where("watched", "==", true).get();
  const docs = watched.docs.filter((doc) => {
    const media = doc.get("media") as { type?: unknown; season?: unknown; episode?: unknown } | undefined;
    return (
      media?.type === "episode" &&
      typeof media.season === "number" &&
      typeof media.episode === "number" &&
      select({ season: media.season, episode: media.episode })
    );
  });
  if (docs.length === 0) return 0;
  const writer = db.bulkWriter();
  // A document cleared meanwhile (clearPlayback) has nothing left to forget.
  const writes = docs.map((doc) =>
    writer.update(doc.ref, { watched: false }).catch((error: unknown) => (isNotFound(error) ? undefined : Promise.reject(error))),
  );
  await writer.close();
  await Promise.all(writes);
  return docs.length;
}

import { Timestamp, type Firestore } from "firebase-admin/firestore";
import { metered, type AppContext } from "../shared/app";
import { isAlreadyExists } from "../shared/firestoreErrors";
import { mediaKeyOf } from "./keys";
import { logWatchlistSet } from "./logs";
import { requireMedia } from "./requireMedia";
import type { LibraryMedia, SetWatchlistRequest, SetWatchlistResponse } from "./schemas";

/** `users/{uid}/watchlist/{mediaKey}` (docs/API.md: library callables). */
export interface WatchlistDoc {
  media: LibraryMedia;
  addedAt: Timestamp;
}

export const watchlistCollection = (db: Firestore, uid: string) => db.collection("users").doc(uid).collection("watchlist");

/**
 * Puts a show or movie on the watchlist or takes it off. Idempotent: adding what is already there keeps
 * its original `addedAt`; removing what is not there changes nothing. Returns the mediaKey.
 */
export async function writeWatchlist(db: Firestore, uid: string, media: LibraryMedia, on: boolean, addedAt: Date): Promise<string> {
  const mediaKey = mediaKeyOf(media);
  const ref = watchlistCollection(db, uid).doc(mediaKey);
  if (!on) {
    await ref.delete();
    return mediaKey;
  }
  try {
    await ref.create({ media, addedAt: Timestamp.fromDate(addedAt) } satisfies WatchlistDoc);
  } catch (error) {
    if (!isAlreadyExists(error)) throw error;
  }
  return mediaKey;
}

/** `setWatchlist`: only media TMDB knows may be added (`not-found` otherwise); removing never calls TMDB. */
export async function setWatchlist(
  context: Pick<AppContext, "db" | "tmdb" | "clock" | "config" | "cache">,
  uid: string,
  { media, on }: SetWatchlistRequest,
): Promise<SetWatchlistResponse> {
  const started = Date.now();
  const ctx = metered(context);
  if (on) await requireMedia(ctx, media);
  const mediaKey = await writeWatchlist(ctx.db, uid, media, on, ctx.clock());
  logWatchlistSet({ uid, mediaKey, on, tmdbCalls: ctx.meter.requests, durationMs: Date.now() - started });
  return { mediaKey, on };
}

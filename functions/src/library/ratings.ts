import { Timestamp, type Firestore } from "firebase-admin/firestore";
import { metered, type AppContext } from "../shared/app";
import { ratingKeyOf } from "./keys";
import { logRated } from "./logs";
import { requireMedia } from "./requireMedia";
import type { RateRequest, RateResponse, RateTarget } from "./schemas";

/** `users/{uid}/ratings/{ratingKey}` (docs/API.md: library callables). */
export interface RatingDoc {
  rating: number;
  ratedAt: Timestamp;
}

export const ratingsCollection = (db: Firestore, uid: string) => db.collection("users").doc(uid).collection("ratings");

/**
 * Sets (1–10) or clears (null) a rating. Idempotent: the same rating again keeps its `ratedAt`, clearing
 * what is not rated changes nothing. Returns the ratingKey.
 */
export async function writeRating(db: Firestore, uid: string, target: RateTarget, rating: number | null, ratedAt: Date): Promise<string> {
  const ratingKey = ratingKeyOf(target);
  const ref = ratingsCollection(db, uid).doc(ratingKey);
  if (rating === null) {
    await ref.delete();
    return ratingKey;
  }
  await db.runTransaction(async (tx) => {
    const snap = await tx.get(ref);
    if ((snap.data() as RatingDoc | undefined)?.rating === rating) return;
    tx.set(ref, { rating, ratedAt: Timestamp.fromDate(ratedAt) } satisfies RatingDoc);
  });
  return ratingKey;
}

/** `rate`: only a show, season, episode or movie TMDB knows may be rated (`not-found` otherwise); clearing never calls TMDB. */
export async function rate(
  context: Pick<AppContext, "db" | "tmdb" | "clock" | "config" | "cache">,
  uid: string,
  { target, rating }: RateRequest,
): Promise<RateResponse> {
  const started = Date.now();
  const ctx = metered(context);
  if (rating !== null) await requireMedia(ctx, target);
  const ratingKey = await writeRating(ctx.db, uid, target, rating, ctx.clock());
  logRated({ uid, ratingKey, rating, tmdbCalls: ctx.meter.requests, durationMs: Date.now() - started });
  return { ratingKey, rating };
}

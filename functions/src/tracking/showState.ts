import type { Timestamp } from "firebase-admin/firestore";
import type { ShowStatus } from "../library/schemas";
import type { TrackedEpisode, TrackingDoc } from "./trackingDoc";

/**
 * The show-level fields the library (docs/API.md) adds to `users/{uid}/episode_tracking/{showId}`:
 * - `status`: the user's choice (absent = watching);
 * - `resetAt`: a rewatch started then (Trakt's `reset_at`): only plays after it count as watched for
 *   progress and up next; the plays before it stay in the history and in `plays`;
 * - `previousReset`: what the last reset replaced, so it can be undone once (absent = nothing to undo).
 * Pure views of them live here; the tracking repository writes them (`setShowStatus`, `resetShow`).
 */
export interface ShowStateFields {
  status?: ShowStatus;
  resetAt?: Timestamp | null;
  previousReset?: { resetAt: Timestamp | null; current: { season: number; episode: number } | null };
}
export type TrackingDocWithState = TrackingDoc & ShowStateFields;

export const millisOf = (value: unknown): number | undefined =>
  value && typeof (value as { toMillis?: unknown }).toMillis === "function" ? (value as { toMillis(): number }).toMillis() : undefined;

/** The document's `resetAt` in milliseconds, or undefined when no rewatch was started. */
export const resetAtMillis = (doc: TrackingDoc): number | undefined => millisOf((doc as ShowStateFields).resetAt);

/**
 * The episodes as progress sees them: an episode whose latest play (`watchedAt`) is not after
 * `resetAt` counts as unwatched. Pure; the same object when there is no reset.
 */
export function episodesSinceReset(doc: TrackingDoc): Record<string, TrackedEpisode> | undefined {
  const resetAt = resetAtMillis(doc);
  if (resetAt === undefined || !doc.episodes) return doc.episodes;
  const episodes: Record<string, TrackedEpisode> = {};
  for (const [key, entry] of Object.entries(doc.episodes)) {
    const at = millisOf(entry?.watchedAt);
    episodes[key] = entry?.watched === true && (at === undefined || at <= resetAt) ? { ...entry, watched: false } : entry;
  }
  return episodes;
}

/** The tracking document as progress counts it: episodes watched before `resetAt` are not watched. */
export const trackingSinceReset = (doc: TrackingDoc): TrackingDoc => {
  const episodes = episodesSinceReset(doc);
  return episodes === doc.episodes ? doc : { ...doc, episodes };
};

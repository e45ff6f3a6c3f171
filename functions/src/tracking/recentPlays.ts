import { Timestamp } from "firebase-admin/firestore";
import { SAME_VIEWING_WINDOW_MS, LIVE_SOURCES, type PlayFacts, type PlaySource } from "./plays";
import type { TrackedEpisode } from "./trackingDoc";

/**
 * What the same-viewing rule (CONTRACT §1) needs of an episode's stored plays, kept on its tracking entry
 * (`episodes[key].recentPlays`) and written with every play: the distinct (time, source) pairs of its
 * latest plays. A play is then checked against its own episode's entry, read with the tracking document,
 * instead of by a query over the user's history, whose cost grows with the whole history.
 *
 * Bounded, so a document of a long show stays far under 1 MiB: at most MAX_RECENT_PLAYS pairs (about
 * 30 bytes each), the latest by time. When older pairs were dropped (`recentPlaysPartial`), a play older
 * than the oldest kept pair (plus the window) may be the same viewing as a dropped one: only then is the
 * episode's history asked (`needsHistory`). An entry written before this record existed, with plays but
 * no record, is asked once too, and its record written.
 */
export const MAX_RECENT_PLAYS = 8;

export interface RecentPlay {
  at: Timestamp;
  source: PlaySource;
}

/** The entry's plays as the rule sees them; null when its record is unknown (an entry written before it). */
export function recentPlaysOf(entry: TrackedEpisode | undefined): PlayFacts[] | null {
  if (!entry) return [];
  if (!Array.isArray(entry.recentPlays)) return (entry.plays ?? 0) > 0 || entry.watched === true ? null : [];
  return entry.recentPlays.flatMap((p) => (p?.at instanceof Timestamp ? [{ watchedAt: p.at.toDate(), source: p.source }] : []));
}

/** Must the episode's stored plays be read from the history to judge a play at `watchedAt`? */
export function needsHistory(entry: TrackedEpisode | undefined, watchedAt: Date): boolean {
  const known = recentPlaysOf(entry);
  if (known === null) return true;
  if (entry?.recentPlaysPartial !== true || known.length === 0) return false;
  const oldest = Math.min(...known.map((p) => p.watchedAt.getTime()));
  return watchedAt.getTime() < oldest + SAME_VIEWING_WINDOW_MS;
}

/**
 * The entry's record with `added` plays in (deduplicated by time and source, the latest MAX_RECENT_PLAYS
 * kept). `known` is what the record holds (or, for an entry without one, every stored play from the
 * history). Pure.
 */
export function withRecentPlays(
  known: PlayFacts[],
  partial: boolean,
  added: PlayFacts[],
): Pick<TrackedEpisode, "recentPlays" | "recentPlaysPartial"> {
  const byPair = new Map<string, RecentPlay>();
  for (const p of [...known, ...added]) {
    byPair.set(`${p.watchedAt.getTime()}_${p.source}`, { at: Timestamp.fromDate(p.watchedAt), source: p.source });
  }
  const all = [...byPair.values()].sort((a, b) => a.at.toMillis() - b.at.toMillis() || a.source.localeCompare(b.source));
  const kept = all.slice(-MAX_RECENT_PLAYS);
  return { recentPlays: kept, ...(partial || kept.length < all.length ? { recentPlaysPartial: true } : {}) };
}

/** The record after un-marking, which removes every play a live source recorded. */
export function withoutLivePlays(entry: TrackedEpisode): Pick<TrackedEpisode, "recentPlays"> | Record<string, never> {
  if (!Array.isArray(entry.recentPlays)) return {};
  return { recentPlays: entry.recentPlays.filter((p) => !LIVE_SOURCES.has(p.source)) };
}

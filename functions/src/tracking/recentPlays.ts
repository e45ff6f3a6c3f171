import { Timestamp } from "firebase-admin/firestore";
import { episodeKey } from "./episodeKeys";
import { LIVE_SOURCES, SAME_VIEWING_WINDOW_MS, type EpisodePlay, type PlayFacts } from "./plays";
import type { RecentPlay, TrackingDoc } from "./trackingDoc";

/**
 * What the same-viewing rule (CONTRACT §1) needs of an episode's stored plays, kept on the show's
 * tracking document (top-level `recentPlays`, by episode key) and written with every play: the distinct
 * (time, source) pairs of the episode's latest plays. A play is then judged from the tracking document it
 * is recorded with, instead of by a query over the user's history, whose cost grows with the history.
 *
 * Bounded, so a long show's document stays far under 1 MiB: at most MAX_RECENT_PLAYS pairs an episode
 * (about 30 bytes each), the latest by time. When older pairs were dropped (`recentPlaysPartial`), a play
 * older than the oldest kept pair (plus the window) may be the same viewing as a dropped one: only then is
 * the episode's history read (`needsHistory`). An episode written before the record existed (watched or
 * with plays, no record) is read once, and its record written.
 */
export const MAX_RECENT_PLAYS = 8;

/** The episode's plays as the rule sees them; null when its record is unknown (written before records existed). */
export function recentPlaysOf(doc: TrackingDoc, key: string): PlayFacts[] | null {
  const record = doc.recentPlays?.[key];
  if (!Array.isArray(record)) {
    const entry = doc.episodes?.[key];
    return entry && ((entry.plays ?? 0) > 0 || entry.watched === true) ? null : [];
  }
  return record.flatMap((p) => (p?.at instanceof Timestamp ? [{ watchedAt: p.at.toDate(), source: p.source }] : []));
}

/** Must the episode's stored plays be read from the history to judge this play? */
export function needsHistory(doc: TrackingDoc, play: EpisodePlay): boolean {
  const key = episodeKey(play.season, play.episode);
  const known = recentPlaysOf(doc, key);
  if (known === null) return true;
  if (doc.recentPlaysPartial?.[key] !== true || known.length === 0) return false;
  const oldest = Math.min(...known.map((p) => p.watchedAt.getTime()));
  return play.watchedAt.getTime() < oldest + SAME_VIEWING_WINDOW_MS;
}

/** An episode's record: `known` (its record, or every stored play read from the history) with `added` in. Pure. */
export function recordWith(known: PlayFacts[], added: PlayFacts[]): { plays: RecentPlay[]; dropped: boolean } {
  const byPair = new Map<string, RecentPlay>();
  for (const p of [...known, ...added]) {
    byPair.set(`${p.watchedAt.getTime()}_${p.source}`, { at: Timestamp.fromDate(p.watchedAt), source: p.source });
  }
  const all = [...byPair.values()].sort((a, b) => a.at.toMillis() - b.at.toMillis() || a.source.localeCompare(b.source));
  return { plays: all.slice(-MAX_RECENT_PLAYS), dropped: all.length > MAX_RECENT_PLAYS };
}

/** Changes to a document's records (episode key → its new record, and those that became partial). */
export interface RecordChanges {
  recentPlays: Record<string, RecentPlay[]>;
  partial: string[];
}

export const noRecordChanges = (): RecordChanges => ({ recentPlays: {}, partial: [] });

/**
 * The records after `plays` are recorded (`fromHistory`: episodes whose stored plays were read from the
 * history). An episode whose record is unknown and was not read keeps none. Pure.
 */
export function recordsAfter(doc: TrackingDoc, plays: EpisodePlay[], fromHistory: ReadonlyMap<string, PlayFacts[]>): RecordChanges {
  const changes = noRecordChanges();
  const added = new Map<string, EpisodePlay[]>();
  for (const play of plays) {
    const key = episodeKey(play.season, play.episode);
    added.set(key, [...(added.get(key) ?? []), play]);
  }
  for (const [key, facts] of added) {
    const known = fromHistory.get(key) ?? recentPlaysOf(doc, key);
    if (known === null) continue;
    const { plays: record, dropped } = recordWith(known, facts);
    changes.recentPlays[key] = record;
    if (dropped) changes.partial.push(key);
  }
  return changes;
}

/** Records for episodes that had none, from their plays just read from the history (written once). Pure. */
export function backfilledRecords(doc: TrackingDoc, fromHistory: ReadonlyMap<string, PlayFacts[]>): RecordChanges {
  const changes = noRecordChanges();
  for (const [key, facts] of fromHistory) {
    if (recentPlaysOf(doc, key) !== null) continue;
    const { plays, dropped } = recordWith(facts, []);
    changes.recentPlays[key] = plays;
    if (dropped) changes.partial.push(key);
  }
  return changes;
}

export const mergeRecordChanges = (a: RecordChanges, b: RecordChanges): RecordChanges => ({
  recentPlays: { ...a.recentPlays, ...b.recentPlays },
  partial: [...new Set([...a.partial, ...b.partial])],
});

/** The records after un-marking `keys`, which removes every play a live source recorded. Pure. */
export function recordsWithoutLivePlays(doc: TrackingDoc, keys: string[]): RecordChanges {
  const changes = noRecordChanges();
  for (const key of keys) {
    const record = doc.recentPlays?.[key];
    if (Array.isArray(record)) changes.recentPlays[key] = record.filter((p) => !LIVE_SOURCES.has(p.source));
  }
  return changes;
}

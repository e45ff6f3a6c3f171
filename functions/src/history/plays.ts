import { FieldPath, Timestamp, type DocumentReference, type Firestore, type Transaction } from "firebase-admin/firestore";
import { failedPrecondition } from "../errors";
import { episodeKey } from "../tracking/episodeKeys";
import { fitsDocumentLimit, trackingRef, type TrackedEpisode, type TrackingDoc } from "../tracking/trackingDoc";

export type PlaySource = "trakt" | "csv" | "app" | "playback";

/** `users/{uid}/history/{historyId}`: one document per play (CONTRACT §1). */
export interface HistoryDoc {
  showId: number;
  season: number;
  episode: number;
  watchedAt: Timestamp;
  source: PlaySource;
  /** The id in the source system (a Trakt history id as a decimal string: 64-bit, kept exact). */
  sourceId: string | null;
  action: string;
}

export interface Play {
  /** Deterministic, so replaying the same play is a duplicate, never a second play. */
  historyId: string;
  showId: number;
  season: number;
  episode: number;
  watchedAt: Date;
  source: PlaySource;
  sourceId: string | null;
  action: string;
}

export interface RecordPlaysResult {
  added: number;
  duplicates: number;
}

export const historyCollection = (db: Firestore, uid: string) => db.collection("users").doc(uid).collection("history");

/** Plays written per transaction: well under Firestore's 500 writes, with room for the tracking doc. */
export const PLAYS_PER_TRANSACTION = 400;

/**
 * What a set of new plays does to a tracking document's episodes: `watched: true`, `watchedAt` the
 * latest play, `plays` counting every recorded play. Other fields of an entry (enrichment, posterPath)
 * are left as they are. Pure, so the 1 MiB check can run before anything is written.
 */
export function applyPlays(episodes: Record<string, TrackedEpisode>, plays: Play[]): Record<string, TrackedEpisode> {
  const changed: Record<string, TrackedEpisode> = {};
  for (const play of plays) {
    const key = episodeKey(play.season, play.episode);
    const current = changed[key] ?? episodes[key] ?? {};
    const watchedAt = Timestamp.fromDate(play.watchedAt);
    const latest = current.watched && current.watchedAt && current.watchedAt.toMillis() > watchedAt.toMillis() ? current.watchedAt : watchedAt;
    changed[key] = { ...current, watched: true, watchedAt: latest, plays: (current.plays ?? 0) + 1 };
  }
  return changed;
}

function latestWatchedAt(doc: TrackingDoc, changed: Record<string, TrackedEpisode>): Timestamp | undefined {
  let latest = doc.lastWatchedAt;
  for (const entry of Object.values(changed)) {
    if (entry.watchedAt && (!latest || entry.watchedAt.toMillis() > latest.toMillis())) latest = entry.watchedAt;
  }
  return latest;
}

/** Refuses (failed-precondition) a change that would push the tracking document past 1 MiB. */
export function assertTrackingFits(ref: DocumentReference, doc: TrackingDoc, changed: Record<string, TrackedEpisode>): void {
  const merged = { ...doc, episodes: { ...doc.episodes, ...changed } };
  if (!fitsDocumentLimit(ref.path, merged)) {
    throw failedPrecondition(`episode_tracking/${ref.id} would exceed Firestore's 1 MiB document limit`, { showId: Number(ref.id) });
  }
}

/**
 * Writes the changed episode entries field by field (so concurrent enrichment fields survive), or
 * creates the document. Used inside a transaction that has read `doc`.
 */
export function writeTrackingChanges(
  tx: Transaction,
  ref: DocumentReference,
  exists: boolean,
  doc: TrackingDoc,
  changed: Record<string, TrackedEpisode>,
  now: Timestamp,
  extra: Record<string, unknown> = {},
): void {
  const lastWatchedAt = latestWatchedAt(doc, changed);
  if (!exists) {
    tx.set(ref, { episodes: changed, ...(lastWatchedAt ? { lastWatchedAt } : {}), updatedAt: now, ...extra });
    return;
  }
  const args: unknown[] = [];
  for (const [key, entry] of Object.entries(changed)) {
    for (const [field, value] of Object.entries(entry)) {
      if (value !== (doc.episodes?.[key] as Record<string, unknown> | undefined)?.[field]) args.push(new FieldPath("episodes", key, field), value);
    }
  }
  if (lastWatchedAt) args.push("lastWatchedAt", lastWatchedAt);
  args.push("updatedAt", now);
  for (const [field, value] of Object.entries(extra)) args.push(field, value);
  const [first, firstValue, ...rest] = args as [string | FieldPath, unknown, ...unknown[]];
  tx.update(ref, first, firstValue, ...rest);
}

/**
 * Records plays idempotently: a play whose history document exists is a duplicate. Each show's plays
 * are written in transactions of at most PLAYS_PER_TRANSACTION, each of which writes the history
 * documents and the matching tracking changes together, so a failure midway never leaves a play
 * without its tracking state (or the other way round). The 1 MiB check covers all of a show's plays
 * before its first write, so a refused request writes nothing for that show.
 */
export async function recordPlays(db: Firestore, uid: string, plays: Play[], clock: () => Date = () => new Date()): Promise<RecordPlaysResult> {
  const byShow = new Map<number, Play[]>();
  const seen = new Set<string>();
  let duplicates = 0;
  for (const play of plays) {
    if (seen.has(play.historyId)) {
      duplicates++;
      continue;
    }
    seen.add(play.historyId);
    byShow.set(play.showId, [...(byShow.get(play.showId) ?? []), play]);
  }

  // Size check first, for every show, against the document as it is now.
  const refs = [...byShow.keys()].map((showId) => trackingRef(db, uid, showId));
  const snaps = refs.length ? await db.getAll(...refs) : [];
  snaps.forEach((snap, i) => {
    const doc = (snap.data() ?? {}) as TrackingDoc;
    assertTrackingFits(refs[i], doc, applyPlays(doc.episodes ?? {}, byShow.get(Number(refs[i].id)) ?? []));
  });

  let added = 0;
  for (const [showId, showPlays] of byShow) {
    for (let i = 0; i < showPlays.length; i += PLAYS_PER_TRANSACTION) {
      const chunk = showPlays.slice(i, i + PLAYS_PER_TRANSACTION);
      const result = await recordChunk(db, uid, showId, chunk, clock);
      added += result.added;
      duplicates += result.duplicates;
    }
  }
  return { added, duplicates };
}

async function recordChunk(db: Firestore, uid: string, showId: number, plays: Play[], clock: () => Date): Promise<RecordPlaysResult> {
  const ref = trackingRef(db, uid, showId);
  const history = historyCollection(db, uid);
  return db.runTransaction(async (tx) => {
    const [snap, ...historySnaps] = await tx.getAll(ref, ...plays.map((p) => history.doc(p.historyId)));
    const fresh = plays.filter((_, i) => !historySnaps[i].exists);
    if (fresh.length === 0) return { added: 0, duplicates: plays.length };
    const doc = (snap.data() ?? {}) as TrackingDoc;
    const changed = applyPlays(doc.episodes ?? {}, fresh);
    assertTrackingFits(ref, doc, changed);
    for (const play of fresh) tx.create(history.doc(play.historyId), historyDocOf(play));
    writeTrackingChanges(tx, ref, snap.exists, doc, changed, Timestamp.fromDate(clock()));
    return { added: fresh.length, duplicates: plays.length - fresh.length };
  });
}

export function historyDocOf(play: Play): HistoryDoc {
  return {
    showId: play.showId,
    season: play.season,
    episode: play.episode,
    watchedAt: Timestamp.fromDate(play.watchedAt),
    source: play.source,
    sourceId: play.sourceId,
    action: play.action,
  };
}

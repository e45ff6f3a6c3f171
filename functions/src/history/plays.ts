import { createHash } from "node:crypto";
import { FieldPath, Timestamp, type DocumentReference, type Firestore, type Transaction } from "firebase-admin/firestore";
import pLimit from "p-limit";
import { failedPrecondition } from "../errors";
import { isAlreadyExists } from "../firestoreErrors";
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
  /** Plays not added: already recorded (or, with `skipWatched`, for an episode already watched). */
  duplicates: number;
}

export interface RecordPlaysOptions {
  /** Drop plays of episodes the tracking document already has as watched (checked inside each transaction). */
  skipWatched?: boolean;
}

/** `trakt_<id>`: the id a Trakt history item is stored under (the decimal id, exact). */
export const traktPlayId = (traktId: string) => `trakt_${traktId}`;

/**
 * The deterministic id of a play this backend records itself (`app`, `csv`, `playback`):
 * `<source>_<showId>_<season>_<episode>_<watchedAtMillis>`. Being derivable from the play's content
 * is what lets an exported play come back to its own document (see `syntheticTraktId`).
 */
export function nativePlayId(source: Exclude<PlaySource, "trakt">, showId: number, season: number, episode: number, watchedAt: Date): string {
  return `${source}_${showId}_${season}_${episode}_${watchedAt.getTime()}`;
}

/** Synthetic ids live in [2^62, 2^63): far above Trakt's own ids, still a signed 64-bit integer. */
const SYNTHETIC_BASE = 1n << 62n;

/**
 * The numeric id `exportHistory` gives a play that has no Trakt id: 2^62 + 62 bits of sha256(historyId),
 * as a decimal string. Deterministic, so exporting twice gives the same ids.
 */
export function syntheticTraktId(historyId: string): string {
  const hash = BigInt(`0x${createHash("sha256").update(historyId).digest("hex").slice(0, 16)}`);
  return (SYNTHETIC_BASE + (hash % SYNTHETIC_BASE)).toString();
}

const NATIVE_SOURCES = ["app", "csv", "playback"] as const;

/**
 * The play an exported synthetic id stands for, recognised from the item's own content (show, episode,
 * watched_at): its native id and source, or null for a real Trakt id.
 */
export function nativePlayOfSyntheticId(
  traktId: string,
  play: { showId: number; season: number; episode: number; watchedAt: Date },
): { historyId: string; source: Exclude<PlaySource, "trakt"> } | null {
  if (BigInt(traktId) < SYNTHETIC_BASE) return null;
  for (const source of NATIVE_SOURCES) {
    const historyId = nativePlayId(source, play.showId, play.season, play.episode, play.watchedAt);
    if (syntheticTraktId(historyId) === traktId) return { historyId, source };
  }
  return null;
}

export const historyCollection = (db: Firestore, uid: string) => db.collection("users").doc(uid).collection("history");

/** Plays written per transaction: well under Firestore's 500 writes, with room for the tracking doc. */
export const PLAYS_PER_TRANSACTION = 400;
/** Shows recorded at once: their documents are disjoint, so only Firestore latency is overlapped. */
const SHOW_CONCURRENCY = 4;

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
  // `showId` lets the nightly job find a show's trackers with one collection-group query.
  const showId = Number(ref.id);
  if (!exists) {
    tx.set(ref, { showId, episodes: changed, ...(lastWatchedAt ? { lastWatchedAt } : {}), updatedAt: now, ...extra });
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
  if (doc.showId === undefined) args.push("showId", showId);
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
export async function recordPlays(
  db: Firestore,
  uid: string,
  plays: Play[],
  clock: () => Date = () => new Date(),
  options: RecordPlaysOptions = {},
): Promise<RecordPlaysResult> {
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
  const limit = pLimit(SHOW_CONCURRENCY);
  await Promise.all(
    [...byShow].map(([showId, showPlays]) =>
      limit(async () => {
        for (let i = 0; i < showPlays.length; i += PLAYS_PER_TRANSACTION) {
          const chunk = showPlays.slice(i, i + PLAYS_PER_TRANSACTION);
          const result = await recordChunk(db, uid, showId, chunk, clock, options);
          added += result.added;
          duplicates += result.duplicates;
        }
      }),
    ),
  );
  return { added, duplicates };
}

async function recordChunk(
  db: Firestore,
  uid: string,
  showId: number,
  plays: Play[],
  clock: () => Date,
  options: RecordPlaysOptions,
): Promise<RecordPlaysResult> {
  const ref = trackingRef(db, uid, showId);
  const history = historyCollection(db, uid);
  for (let race = 0; ; race++) {
    // Existing plays are read outside the transaction, which then reads only the tracking document;
    // its `create`s fail the whole commit if a concurrent request recorded one of these plays since,
    // so a play is never counted twice (we look again and retry).
    const existing = await db.getAll(...plays.map((p) => history.doc(p.historyId)));
    const candidates = plays.filter((_, i) => !existing[i].exists);
    if (candidates.length === 0) return { added: 0, duplicates: plays.length };
    try {
      const added = await db.runTransaction(
        async (tx) => {
          const snap = await tx.get(ref);
          const doc = (snap.data() ?? {}) as TrackingDoc;
          const watched = (p: Play) => doc.episodes?.[episodeKey(p.season, p.episode)]?.watched === true;
          const fresh = options.skipWatched ? candidates.filter((p) => !watched(p)) : candidates;
          if (fresh.length === 0) return 0;
          const changed = applyPlays(doc.episodes ?? {}, fresh);
          assertTrackingFits(ref, doc, changed);
          for (const play of fresh) tx.create(history.doc(play.historyId), historyDocOf(play));
          writeTrackingChanges(tx, ref, snap.exists, doc, changed, Timestamp.fromDate(clock()));
          return fresh.length;
        },
        // Overlapping imports of one show queue on its tracking document: give them room to retry.
        { maxAttempts: TRANSACTION_ATTEMPTS },
      );
      return { added, duplicates: plays.length - added };
    } catch (error) {
      if (!isAlreadyExists(error) || race >= TRANSACTION_ATTEMPTS) throw error;
    }
  }
}

/** Firestore's default is 5; concurrent imports into one show contend on its tracking document. */
export const TRANSACTION_ATTEMPTS = 20;

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

/**
 * The one writer of a user's watch state: `users/{uid}/episode_tracking/{showId}` and the plays in
 * `users/{uid}/history/{historyId}`. No other module writes them; every write here keeps the two
 * invariants of a tracking document: it carries its `showId` (the nightly job's collection-group
 * index) and stays under Firestore's 1 MiB limit (a change that would not fit is `failed-precondition`
 * and writes nothing).
 *
 * Recording plays from a domain (imports, scrobbles, webhooks, the library, ...):
 *
 *   1. Build each play with the factory in `./plays`: `episodePlay({ showId, season, episode, watchedAt,
 *      source, sourceId })` or `moviePlay({ movieId, watchedAt, source, sourceId })`. Give the play's id
 *      in its source as `sourceId` (`trakt_<id>`, `tvtime_<id>` follow); without one the id is derived
 *      from the content, so a replay is a duplicate either way.
 *   2. Many plays: `await recordPlays(db, uid, plays)` → `{ added, duplicates }`. Idempotent, chunked
 *      into transactions that write plays and tracking state together, shows in parallel.
 *      One play as part of your own transaction: read your own documents first, then
 *      `await recordPlayInTransaction(tx, db, uid, play, { now })` (it reads, then writes), then write
 *      yours.
 *   Both apply the same rules: a play whose id exists is a duplicate; a play of the same episode/movie
 *   that a different source (or the same live source) already reported less than 10 minutes away is the
 *   same viewing, a duplicate too (`sameViewing`, docs/API.md: Firestore paths); a source's own distinct plays stay.
 *
 * Other writes: `unmarkEpisodes` / `unmarkMovie` (remove plays), `writeEnrichment` (TMDB fields only),
 * `setTrackingFields` / `setPointer` / `setShowStatus` / `setResetAt` (top-level fields without a read),
 * `resetShow` (start or undo a rewatch),
 * `setShowIdFields` (the one-time `showId` migration).
 */
import {
  FieldPath,
  FieldValue,
  Timestamp,
  type DocumentReference,
  type DocumentSnapshot,
  type Firestore,
  type Query,
  type QuerySnapshot,
  type Transaction,
  type WriteBatch,
} from "firebase-admin/firestore";
import pLimit from "p-limit";
import { failedPrecondition } from "../shared/errors";
import { isAlreadyExists, isFailedPrecondition, isNotFound } from "../shared/firestoreErrors";
import { episodeKey, parseEpisodeKey, type EpisodeRef } from "./episodeKeys";
import { markLibraryStale } from "../progress/librarySummary";
import {
  backfilledRecords,
  mergeRecordChanges,
  needsHistory,
  noRecordChanges,
  recentPlaysOf,
  recordsAfter,
  recordsWithoutLivePlays,
  type RecordChanges,
} from "./recentPlays";
import {
  historyCollection,
  historyDocOf,
  isMoviePlay,
  LIVE_SOURCES,
  playFactsOf,
  sameViewing,
  viewedItemKey,
  type EpisodePlay,
  type MoviePlay,
  type Play,
  type PlayFacts,
} from "./plays";
import { episodesSinceReset, millisOf, type TrackingDocWithState } from "./showState";
import { movieTrackingRef, trackingRef, type MovieTrackingDoc, type TrackedEpisode, type TrackingDoc } from "./trackingDoc";
import { fitsDocumentLimit } from "../shared/firestore";

export type Clock = () => Date;
const systemClock: Clock = () => new Date();

/** Top-level fields of a tracking document that domains set (docs/API.md: Firestore paths, library callables). */
export interface TrackingFields {
  current?: { season: number; episode: number } | null;
  status?: "watching" | "paused" | "dropped" | "planned";
  resetAt?: Timestamp | null;
}

export interface RecordPlaysResult {
  added: number;
  /** Plays not added: already recorded, the same viewing as a recorded play, or (`skipWatched`) of a watched episode. */
  duplicates: number;
}

export interface RecordPlaysOptions {
  /** The time written as `updatedAt` (default: now). */
  clock?: Clock;
  /** Drop plays of episodes the tracking document already has as watched (checked inside each transaction). */
  skipWatched?: boolean;
  /**
   * The plays' ids the caller has just looked up by key and found stored: those are duplicates, the
   * others are taken as new without a second look-up (a play created meanwhile fails its `create`, and
   * its show's plays are looked up again).
   */
  existingIds?: ReadonlySet<string>;
}

/** Plays written per transaction: well under Firestore's 500 writes, with room for the tracking doc. */
export const PLAYS_PER_TRANSACTION = 400;
/** Shows recorded at once: their documents are disjoint, so only Firestore latency is overlapped. */
const SHOW_CONCURRENCY = 4;
/** Firestore's default is 5; concurrent imports into one show contend on its tracking document. */
export const TRANSACTION_ATTEMPTS = 20;

// ---------------------------------------------------------------------------------------------
// The tracking document: pure changes and the two invariants

/**
 * What a set of new plays does to a tracking document's episodes: `watched: true`, `watchedAt` the
 * latest play, `plays` counting every recorded play. Other fields of an entry (enrichment, posterPath)
 * are left as they are. Pure, so the 1 MiB check can run before anything is written. (The same-viewing
 * records the plays also change are `recordsAfter`'s, ./recentPlays.)
 */
export function applyPlays(episodes: Record<string, TrackedEpisode>, plays: EpisodePlay[]): Record<string, TrackedEpisode> {
  const changed: Record<string, TrackedEpisode> = {};
  for (const play of plays) {
    const key = episodeKey(play.season, play.episode);
    const current = changed[key] ?? episodes[key] ?? {};
    const watchedAt = Timestamp.fromDate(play.watchedAt);
    const latest =
      current.watched && current.watchedAt && current.watchedAt.toMillis() > watchedAt.toMillis() ? current.watchedAt : watchedAt;
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

/** The document after a change of episodes and same-viewing records. */
const mergedTracking = (doc: TrackingDoc, changed: Record<string, TrackedEpisode>, records: RecordChanges = noRecordChanges()) => ({
  ...doc,
  episodes: { ...doc.episodes, ...changed },
  recentPlays: { ...doc.recentPlays, ...records.recentPlays },
  recentPlaysPartial: { ...doc.recentPlaysPartial, ...Object.fromEntries(records.partial.map((key) => [key, true])) },
});

/** Refuses (failed-precondition) a change that would push the tracking document past 1 MiB. */
function assertTrackingFits(
  ref: DocumentReference,
  doc: TrackingDoc,
  changed: Record<string, TrackedEpisode>,
  records?: RecordChanges,
): void {
  if (!fitsDocumentLimit(ref.path, mergedTracking(doc, changed, records))) {
    throw failedPrecondition(`episode_tracking/${ref.id} would exceed Firestore's 1 MiB document limit`, { showId: Number(ref.id) });
  }
}

/**
 * Writes the changed episode entries field by field (so concurrent enrichment fields survive) plus the
 * given top-level fields, or creates the document; always with its `showId`. Inside a transaction that
 * has read `doc`.
 */
function writeTrackingChanges(
  tx: Transaction,
  ref: DocumentReference,
  exists: boolean,
  doc: TrackingDoc,
  changed: Record<string, TrackedEpisode>,
  now: Date,
  fields: TrackingFields = {},
  records: RecordChanges = noRecordChanges(),
): void {
  const lastWatchedAt = latestWatchedAt(doc, changed);
  const showId = Number(ref.id);
  const updatedAt = Timestamp.fromDate(now);
  const partial = Object.fromEntries(records.partial.map((key) => [key, true]));
  if (!exists) {
    tx.set(ref, {
      showId,
      episodes: changed,
      ...(lastWatchedAt ? { lastWatchedAt } : {}),
      updatedAt,
      ...fields,
      ...(Object.keys(records.recentPlays).length > 0 ? { recentPlays: records.recentPlays } : {}),
      ...(records.partial.length > 0 ? { recentPlaysPartial: partial } : {}),
    });
    return;
  }
  const args: unknown[] = [];
  for (const [key, record] of Object.entries(records.recentPlays)) args.push(new FieldPath("recentPlays", key), record);
  for (const key of records.partial) args.push(new FieldPath("recentPlaysPartial", key), true);
  for (const [key, entry] of Object.entries(changed)) {
    for (const [field, value] of Object.entries(entry)) {
      if (value !== (doc.episodes?.[key] as Record<string, unknown> | undefined)?.[field])
        args.push(new FieldPath("episodes", key, field), value);
    }
  }
  if (lastWatchedAt) args.push("lastWatchedAt", lastWatchedAt);
  args.push("updatedAt", updatedAt);
  if (doc.showId !== showId) args.push("showId", showId);
  for (const [field, value] of Object.entries(fields)) args.push(field, value);
  const [first, firstValue, ...rest] = args as [string | FieldPath, unknown, ...unknown[]];
  tx.update(ref, first, firstValue, ...rest);
}

// ---------------------------------------------------------------------------------------------
// Recording plays

/** The plays already stored for one show (or movie), by id, and their facts grouped by item. */
interface StoredPlays {
  ids: Set<string>;
  byItem: Map<string, PlayFacts[]>;
}

function storedPlaysOf(docs: Array<{ id: string; data(): Record<string, unknown> | undefined }>): StoredPlays {
  const stored: StoredPlays = { ids: new Set(), byItem: new Map() };
  for (const doc of docs) {
    stored.ids.add(doc.id);
    const data = doc.data();
    const facts = playFactsOf(data);
    if (!facts || !data) continue;
    const key =
      typeof data.movieId === "number"
        ? `movie_${data.movieId}`
        : `tv_${data.showId as number}_${data.season as number}_${data.episode as number}`;
    stored.byItem.set(key, [...(stored.byItem.get(key) ?? []), facts]);
  }
  return stored;
}

/**
 * The plays to write: not stored yet, and not the same viewing as a stored play or an earlier play of
 * this batch. Pure (apart from `stored`, which it extends with what it accepts).
 */
function freshPlays<P extends Play>(plays: P[], stored: StoredPlays): P[] {
  const accepted: P[] = [];
  for (const play of plays) {
    if (stored.ids.has(play.historyId)) continue;
    const key = viewedItemKey(play);
    const known = stored.byItem.get(key) ?? [];
    // One viewing reported twice (a mark, then the player; a scrobble, then a webhook) is one play.
    if (known.some((other) => sameViewing(other, play))) continue;
    stored.ids.add(play.historyId);
    stored.byItem.set(key, [...known, play]);
    accepted.push(play);
  }
  return accepted;
}

const showPlaysQuery = (db: Firestore, uid: string, showId: number) => historyCollection(db, uid).where("showId", "==", showId);

/** Which of the plays' ids are stored, looked up by key (a read each, whatever the size of the history). */
async function storedPlayIds(db: Firestore, uid: string, plays: Play[]): Promise<Set<string>> {
  const history = historyCollection(db, uid);
  const ids = [...new Set(plays.map((play) => play.historyId))];
  const found = new Set<string>();
  for (let i = 0; i < ids.length; i += PLAYS_PER_TRANSACTION) {
    const snaps = await db.getAll(...ids.slice(i, i + PLAYS_PER_TRANSACTION).map((id) => history.doc(id)), { fieldMask: [] });
    for (const snap of snaps) if (snap.exists) found.add(snap.id);
  }
  return found;
}

/**
 * The stored plays the same-viewing rule compares `plays` with, by item: each episode's record on the
 * tracking document read as `snap` (./recentPlays). Only an episode whose record cannot decide (written
 * before records existed, or a play older than what a partial record keeps) is read from the history: all
 * of the show's plays at once when some episode has no record (every such episode of the document then
 * gets its record from them: `backfill`), else those few episodes' own.
 */
async function viewingsOf(
  db: Firestore,
  uid: string,
  snap: DocumentSnapshot,
  plays: EpisodePlay[],
): Promise<{ stored: StoredPlays; fromHistory: Map<string, PlayFacts[]>; backfill: boolean }> {
  const doc = (snap.data() ?? {}) as TrackingDoc;
  const keyOf = (play: EpisodePlay) => episodeKey(play.season, play.episode);
  const asking = plays.filter((play) => needsHistory(doc, play));
  const fromHistory = new Map<string, PlayFacts[]>();
  const backfill = asking.some((play) => recentPlaysOf(doc, keyOf(play)) === null);
  if (asking.length > 0) {
    const showId = Number(snap.ref.id);
    const queries = backfill
      ? [showPlaysQuery(db, uid, showId)]
      : [...new Map(asking.map((play) => [keyOf(play), play])).values()].map((play) => episodePlaysQuery(db, uid, play));
    const results = await Promise.all(queries.map((query) => playsAsOf(query, snap)));
    if (backfill) for (const key of Object.keys(doc.episodes ?? {})) if (recentPlaysOf(doc, key) === null) fromHistory.set(key, []);
    for (const play of asking) fromHistory.set(keyOf(play), []);
    for (const result of results) {
      for (const stored of result.docs) {
        const facts = playFactsOf(stored.data());
        const key = episodeKey(stored.get("season") as number, stored.get("episode") as number);
        if (facts) fromHistory.get(key)?.push(facts);
      }
    }
  }
  const stored: StoredPlays = { ids: new Set(), byItem: new Map() };
  for (const play of plays) {
    const item = viewedItemKey(play);
    if (!stored.byItem.has(item)) stored.byItem.set(item, [...(fromHistory.get(keyOf(play)) ?? recentPlaysOf(doc, keyOf(play)) ?? [])]);
  }
  return { stored, fromHistory, backfill };
}

/**
 * A show's stored plays (or one episode's) as of the tracking document a transaction has read, by a plain
 * query rather than one inside the transaction. Every write of a show's plays updates its tracking document
 * in the same commit, so a query that reads at or after the document's last update sees every play the
 * transaction could conflict with, and a play committed later must first wait for (or invalidate) the
 * transaction's read of the tracking document. Why not query in the transaction: a query read there locks
 * far more than one user's plays (under the emulator, concurrent query transactions of different users
 * queue behind each other for seconds, and time out under a crowd of webhooks).
 */
async function playsAsOf(query: Query, tracking: DocumentSnapshot): Promise<QuerySnapshot> {
  for (;;) {
    const plays = await query.get();
    // Timestamps order by `valueOf()` (the SDK's comparable string form).
    if (!tracking.updateTime || plays.readTime.valueOf() >= tracking.updateTime.valueOf()) return plays;
  }
}
const moviePlaysQuery = (db: Firestore, uid: string, movieId: number) => historyCollection(db, uid).where("movieId", "==", movieId);
const episodePlaysQuery = (db: Firestore, uid: string, play: EpisodePlay) =>
  showPlaysQuery(db, uid, play.showId).where("season", "==", play.season).where("episode", "==", play.episode);

/**
 * Records plays (episodes and movies) idempotently. Each show's plays are written in transactions of
 * at most PLAYS_PER_TRANSACTION, each writing the history documents and the matching tracking changes
 * together, so a failure midway never leaves a play without its tracking state (or the other way
 * round). The 1 MiB check covers all of a show's plays before its first write, so a refused request
 * writes nothing for that show. Movie plays are history documents only.
 */
export async function recordPlays(db: Firestore, uid: string, plays: Play[], options: RecordPlaysOptions = {}): Promise<RecordPlaysResult> {
  const clock = options.clock ?? systemClock;
  const byShow = new Map<number, EpisodePlay[]>();
  const byMovie = new Map<number, MoviePlay[]>();
  const seen = new Set<string>();
  let duplicates = 0;
  for (const play of plays) {
    if (seen.has(play.historyId)) {
      duplicates++;
      continue;
    }
    seen.add(play.historyId);
    if (isMoviePlay(play)) byMovie.set(play.movieId, [...(byMovie.get(play.movieId) ?? []), play]);
    else byShow.set(play.showId, [...(byShow.get(play.showId) ?? []), play]);
  }

  // Size check first, for every show, against the document as it is now.
  const refs = [...byShow.keys()].map((showId) => trackingRef(db, uid, showId));
  const snaps = refs.length ? await db.getAll(...refs) : [];
  snaps.forEach((snap, i) => {
    const doc = (snap.data() ?? {}) as TrackingDoc;
    assertTrackingFits(refs[i], doc, applyPlays(doc.episodes ?? {}, byShow.get(Number(refs[i].id)) ?? []));
  });

  let added = 0;
  const count = (result: RecordPlaysResult) => {
    added += result.added;
    duplicates += result.duplicates;
  };
  const limit = pLimit(SHOW_CONCURRENCY);
  await Promise.all([
    ...[...byShow].map(([showId, showPlays]) =>
      limit(async () => {
        for (let i = 0; i < showPlays.length; i += PLAYS_PER_TRANSACTION) {
          const chunk = showPlays.slice(i, i + PLAYS_PER_TRANSACTION);
          count(await recordShowChunk(db, uid, showId, chunk, clock, options.skipWatched === true, options.existingIds));
        }
      }),
    ),
    ...[...byMovie].map(([movieId, moviePlays]) =>
      limit(async () => {
        const known = options.existingIds;
        const fresh = known ? moviePlays.filter((play) => !known.has(play.historyId)) : moviePlays;
        duplicates += moviePlays.length - fresh.length;
        for (let i = 0; i < fresh.length; i += PLAYS_PER_TRANSACTION) {
          count(await recordMovieChunk(db, uid, movieId, fresh.slice(i, i + PLAYS_PER_TRANSACTION), clock));
        }
      }),
    ),
  ]);
  return { added, duplicates };
}

/**
 * One transaction's worth of a show's plays. The plays' ids are looked up by key (or taken from the
 * caller's look-up), the same-viewing rule reads the episodes' records on the tracking document
 * (`viewingsOf`): nothing here queries the history, so the cost follows the chunk, not the user's history.
 * A play some other writer created since the look-up fails its `create`: look up again and retry.
 */
async function recordShowChunk(
  db: Firestore,
  uid: string,
  showId: number,
  plays: EpisodePlay[],
  clock: Clock,
  skipWatched: boolean,
  checkedIds: ReadonlySet<string> | undefined,
): Promise<RecordPlaysResult> {
  const ref = trackingRef(db, uid, showId);
  const history = historyCollection(db, uid);
  let existing = checkedIds;
  for (let race = 0; ; race++) {
    const stored = existing ?? (await storedPlayIds(db, uid, plays));
    const unseen = plays.filter((play) => !stored.has(play.historyId));
    if (unseen.length === 0) return { added: 0, duplicates: plays.length };
    try {
      const added = await db.runTransaction(
        async (tx) => {
          const snap = await tx.get(ref);
          const doc = (snap.data() ?? {}) as TrackingDoc;
          const viewings = await viewingsOf(db, uid, snap, unseen);
          const candidates = freshPlays(unseen, viewings.stored);
          // After a reset (`resetAt`, a rewatch) an episode watched before it is not watched: its next play counts.
          const sinceReset = episodesSinceReset(doc);
          const watched = (p: EpisodePlay) => sinceReset?.[episodeKey(p.season, p.episode)]?.watched === true;
          const fresh = skipWatched ? candidates.filter((p) => !watched(p)) : candidates;
          const changed = applyPlays(doc.episodes ?? {}, fresh);
          const records = recordsAfter(doc, fresh, viewings.fromHistory);
          // Episodes that had no record get it from the history just read, once (when it fits).
          const backfilled = viewings.backfill ? mergeRecordChanges(backfilledRecords(doc, viewings.fromHistory), records) : records;
          const writing = fitsDocumentLimit(ref.path, mergedTracking(doc, changed, backfilled)) ? backfilled : records;
          if (fresh.length === 0 && Object.keys(writing.recentPlays).length === 0) return 0;
          assertTrackingFits(ref, doc, changed, writing);
          for (const play of fresh) tx.create(history.doc(play.historyId), historyDocOf(play));
          writeTrackingChanges(tx, ref, snap.exists, doc, changed, clock(), {}, writing);
          if (fresh.length > 0) markLibraryStale(tx, db, uid, [showId]);
          return fresh.length;
        },
        // Overlapping imports of one show queue on its tracking document: give them room to retry.
        { maxAttempts: TRANSACTION_ATTEMPTS },
      );
      return { added, duplicates: plays.length - added };
    } catch (error) {
      if (!isAlreadyExists(error) || race >= TRANSACTION_ATTEMPTS) throw error;
      existing = undefined;
    }
  }
}

async function recordMovieChunk(db: Firestore, uid: string, movieId: number, plays: MoviePlay[], clock: Clock): Promise<RecordPlaysResult> {
  // Two requests reporting the same viewing at once serialise on the movie's watch-state document, as episode
  // plays do on their tracking document, so only one of them records it.
  return db.runTransaction(async (tx) => {
    const { stored, snap } = await readMoviePlays(tx, db, uid, movieId);
    const fresh = freshPlays(plays, stored);
    writeMoviePlays(tx, db, uid, movieId, fresh, stored, snap, clock());
    return { added: fresh.length, duplicates: plays.length - fresh.length };
  });
}

/** A movie's watch-state document (read in the transaction) and its plays as of it. */
async function readMoviePlays(tx: Transaction, db: Firestore, uid: string, movieId: number) {
  const snap = await tx.get(movieTrackingRef(db, uid, movieId));
  return { snap, stored: storedPlaysOf((await playsAsOf(moviePlaysQuery(db, uid, movieId), snap)).docs) };
}

/** Creates the fresh plays and updates the movie's watch state (`stored` already includes them, see `freshPlays`). */
function writeMoviePlays(
  tx: Transaction,
  db: Firestore,
  uid: string,
  movieId: number,
  fresh: MoviePlay[],
  stored: StoredPlays,
  snap: DocumentSnapshot,
  now: Date,
): void {
  if (fresh.length === 0) return;
  const history = historyCollection(db, uid);
  for (const play of fresh) tx.create(history.doc(play.historyId), historyDocOf(play));
  const previous = snap.get("lastWatchedAt") as Timestamp | null | undefined;
  const latest = Math.max(previous?.toMillis() ?? -Infinity, ...fresh.map((play) => play.watchedAt.getTime()));
  const doc: MovieTrackingDoc = {
    movieId,
    plays: stored.ids.size,
    lastWatchedAt: Timestamp.fromMillis(latest),
    updatedAt: Timestamp.fromDate(now),
  };
  tx.set(snap.ref, doc);
}

export interface RecordInTransactionOptions {
  /** The time written as `updatedAt`. */
  now: Date;
  /** The tracking document, when the caller's transaction already read it (episode plays). */
  tracking?: DocumentSnapshot;
  /** Top-level tracking fields to write with the play (e.g. the pointer), recorded or not. */
  fields?: TrackingFields;
}

/**
 * Records one play inside the caller's transaction, with the same rules as `recordPlays` (its id
 * stored already, or the same viewing as a stored play: not recorded). It reads first (the play's
 * document, the item's plays and, unless given, the tracking document), then writes: call it after
 * your own reads and before your own writes. Returns whether the play was recorded.
 */
export async function recordPlayInTransaction(
  tx: Transaction,
  db: Firestore,
  uid: string,
  play: Play,
  options: RecordInTransactionOptions,
): Promise<{ recorded: boolean }> {
  const historyRef = historyCollection(db, uid).doc(play.historyId);
  if (isMoviePlay(play)) {
    const [existing, { snap, stored }] = await Promise.all([tx.get(historyRef), readMoviePlays(tx, db, uid, play.movieId)]);
    const fresh = existing.exists ? [] : freshPlays([play], stored);
    writeMoviePlays(tx, db, uid, play.movieId, fresh, stored, snap, options.now);
    return { recorded: fresh.length === 1 };
  }
  const ref = trackingRef(db, uid, play.showId);
  const [snap, existing] = await Promise.all([options.tracking ?? tx.get(ref), tx.get(historyRef)]);
  const doc = (snap.data() ?? {}) as TrackingDoc;
  // The same-viewing rule against the episode's record on the tracking document (./recentPlays).
  const viewings = existing.exists ? undefined : await viewingsOf(db, uid, snap, [play]);
  const recorded = viewings !== undefined && freshPlays([play], viewings.stored).length === 1;
  const changed = recorded ? applyPlays(doc.episodes ?? {}, [play]) : {};
  const records = recorded ? recordsAfter(doc, [play], viewings.fromHistory) : noRecordChanges();
  assertTrackingFits(ref, doc, changed, records);
  if (recorded) tx.create(historyRef, historyDocOf(play));
  if (recorded || options.fields) {
    writeTrackingChanges(tx, ref, snap.exists, doc, changed, options.now, options.fields, records);
    markLibraryStale(tx, db, uid, [play.showId]);
  }
  return { recorded };
}

// ---------------------------------------------------------------------------------------------
// Un-marking

/** Writes per un-mark transaction (Firestore allows 500): history deletes plus the tracking update. */
const UNMARK_WRITES_PER_TRANSACTION = 450;

/**
 * Un-marks the selected episodes of a show in transactions of bounded size: each reads the tracking
 * document and the show's plays, sets `watched: false`, deletes the plays live sources recorded (app
 * marks, the player, scrobbles, webhooks) and lowers `plays` by as many. Plays imported from a list
 * (Trakt, CSV, TV Time) are the user's record elsewhere and stay. Afterwards the next viewing is
 * recorded (no live play is left for it to be the same viewing as). Returns the episodes that went
 * from watched to unwatched.
 */
export async function unmarkEpisodes(
  db: Firestore,
  uid: string,
  showId: number,
  select: (ref: EpisodeRef) => boolean,
  clock: Clock = systemClock,
): Promise<{ changed: number }> {
  const ref = trackingRef(db, uid, showId);
  const history = historyCollection(db, uid);
  let changed = 0;
  for (;;) {
    const { done, flipped } = await db.runTransaction(async (tx) => {
      const snap = await tx.get(ref);
      const plays = await playsAsOf(showPlaysQuery(db, uid, showId), snap);
      const doc = (snap.data() ?? {}) as TrackingDoc;
      const playsByKey = new Map<string, string[]>();
      for (const play of plays.docs) {
        if (!LIVE_SOURCES.has(play.get("source"))) continue;
        const key = episodeKey(play.get("season") as number, play.get("episode") as number);
        playsByKey.set(key, [...(playsByKey.get(key) ?? []), play.id]);
      }
      const keys = new Set([...Object.keys(doc.episodes ?? {}), ...playsByKey.keys()]);
      const targets = [...keys].filter((key) => {
        const parsed = parseEpisodeKey(key);
        return parsed && select(parsed) && (doc.episodes?.[key]?.watched === true || playsByKey.has(key));
      });
      if (targets.length === 0) return { done: true, flipped: 0 };

      const changes: Record<string, TrackedEpisode> = {};
      const deletes: string[] = [];
      let flippedHere = 0;
      let processed = 0;
      for (const key of targets) {
        const removed = playsByKey.get(key) ?? [];
        if (deletes.length + removed.length + 1 > UNMARK_WRITES_PER_TRANSACTION && processed > 0) break;
        processed++;
        deletes.push(...removed);
        const current = doc.episodes?.[key];
        if (current) {
          if (current.watched === true) flippedHere++;
          const plays = current.plays !== undefined && removed.length > 0 ? { plays: Math.max(0, current.plays - removed.length) } : {};
          changes[key] = { ...current, watched: false, ...plays };
        }
      }
      for (const id of deletes) tx.delete(history.doc(id));
      // Plays deleted touch the tracking document too (`updatedAt` at least): it versions the show's plays (`playsAsOf`).
      if (Object.keys(changes).length > 0 || deletes.length > 0) {
        // The live plays leave the same-viewing records too, so the next viewing is not "the same" as one of them.
        const records = recordsWithoutLivePlays(doc, targets.slice(0, processed));
        assertTrackingFits(ref, doc, changes, records);
        writeTrackingChanges(tx, ref, snap.exists, doc, changes, clock(), {}, records);
        markLibraryStale(tx, db, uid, [showId]);
      }
      return { done: processed === targets.length, flipped: flippedHere };
    });
    changed += flipped;
    if (done) return { changed };
  }
}

/** Removes every play of a movie (a movie's plays are its whole watch state). Returns how many. */
export async function unmarkMovie(db: Firestore, uid: string, movieId: number, clock: Clock = systemClock): Promise<{ removed: number }> {
  const ref = movieTrackingRef(db, uid, movieId);
  let removed = 0;
  for (;;) {
    const page = await moviePlaysQuery(db, uid, movieId).limit(UNMARK_WRITES_PER_TRANSACTION).get();
    const batch = db.batch();
    for (const doc of page.docs) batch.delete(doc.ref);
    // Touched with every change to the movie's plays: it versions them (`playsAsOf`).
    const state: MovieTrackingDoc = { movieId, plays: 0, lastWatchedAt: null, updatedAt: Timestamp.fromDate(clock()) };
    if (page.empty) return { removed };
    batch.set(ref, state);
    await batch.commit();
    removed += page.size;
  }
}

// ---------------------------------------------------------------------------------------------
// Enrichment

/** The TMDB fields enrichment may write to one episode entry (never `watched`, `watchedAt`, `plays`, `posterPath`). */
export interface EnrichmentUpdate {
  key: string;
  fields: Pick<TrackedEpisode, "episodeId" | "episodeName" | "episodeAirDate">;
}

/**
 * Writes enrichment fields (field paths only) to the tracking document read as `snap`, on condition
 * that it is unchanged since: returns false when somebody changed it meanwhile (read it again and
 * recompute), so a concurrent `watched` change is never overwritten. Nothing to write, or no document:
 * writes nothing and returns true.
 */
export async function writeEnrichment(snap: DocumentSnapshot, updates: EnrichmentUpdate[]): Promise<boolean> {
  if (updates.length === 0 || !snap.exists) return true;
  const ref = snap.ref;
  const data = (snap.data() ?? {}) as TrackingDoc;
  const episodes: Record<string, TrackedEpisode> = {};
  const args: unknown[] = [];
  for (const { key, fields } of updates) {
    const allowed = { episodeId: fields.episodeId, episodeName: fields.episodeName, episodeAirDate: fields.episodeAirDate };
    const entries = Object.entries(allowed).filter(([, value]) => value !== undefined);
    episodes[key] = { ...(data.episodes?.[key] ?? {}), ...Object.fromEntries(entries) };
    for (const [field, value] of entries) args.push(new FieldPath("episodes", key, field), value);
  }
  assertTrackingFits(ref, data, episodes);
  const showId = Number(ref.id);
  if (data.showId !== showId) args.push(new FieldPath("showId"), showId);
  if (args.length === 0) return true;
  const [first, firstValue, ...rest] = args as [FieldPath, unknown, ...unknown[]];
  try {
    await ref.update(first, firstValue, ...rest, { lastUpdateTime: snap.updateTime });
    return true;
  } catch (error) {
    if (isFailedPrecondition(error)) return false;
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// Top-level fields

/**
 * Sets top-level fields (pointer, status, resetAt) without reading the possibly large document; a show
 * the user did not track yet gets a document with no episodes. Always with `showId` and `updatedAt`.
 */
export async function setTrackingFields(db: Firestore, uid: string, showId: number, fields: TrackingFields, now: Date): Promise<void> {
  const ref = trackingRef(db, uid, showId);
  const update = { ...fields, showId, updatedAt: Timestamp.fromDate(now) };
  // With the library entry marked stale in the same batch (its owner, progress/librarySummary.ts).
  const write = (change: (batch: WriteBatch) => void) => {
    const batch = db.batch();
    change(batch);
    markLibraryStale(batch, db, uid, [showId]);
    return batch.commit();
  };
  try {
    await write((batch) => batch.update(ref, update));
  } catch (error) {
    if (!isNotFound(error)) throw error;
    try {
      await write((batch) => batch.create(ref, { episodes: {}, ...update }));
    } catch (raced) {
      // Somebody created the document in between: it exists now, so the update applies.
      if (!isAlreadyExists(raced)) throw raced;
      await write((batch) => batch.update(ref, update));
    }
  }
}

/** Is a stored field value the one about to be written (timestamps by instant)? */
const sameFieldValue = (stored: unknown, value: unknown): boolean =>
  stored instanceof Timestamp && value instanceof Timestamp ? stored.isEqual(value) : (stored ?? null) === (value ?? null);

/**
 * `setTrackingFields` for a replayed source (an import): a show whose document already holds these
 * values is left untouched, so importing the same file again writes nothing. Returns whether it wrote.
 */
export async function applyTrackingFields(db: Firestore, uid: string, showId: number, fields: TrackingFields, now: Date): Promise<boolean> {
  const keys = Object.keys(fields) as Array<keyof TrackingFields>;
  const [snap] = await db.getAll(trackingRef(db, uid, showId), { fieldMask: keys });
  if (snap.exists && keys.every((key) => sameFieldValue(snap.get(key), fields[key]))) return false;
  await setTrackingFields(db, uid, showId, fields, now);
  return true;
}

/** The "which episode am I on" pointer (`current`). */
export const setPointer = (db: Firestore, uid: string, showId: number, current: TrackingFields["current"], now: Date) =>
  setTrackingFields(db, uid, showId, { current }, now);

/** The user's status for the show (docs/API.md: library callables). */
export const setShowStatus = (db: Firestore, uid: string, showId: number, status: NonNullable<TrackingFields["status"]>, now: Date) =>
  setTrackingFields(db, uid, showId, { status }, now);

/** A rewatch started at `resetAt` (null: none) (docs/API.md: library callables). */
export const setResetAt = (db: Firestore, uid: string, showId: number, resetAt: Timestamp | null, now: Date) =>
  setTrackingFields(db, uid, showId, { resetAt }, now);

// ---------------------------------------------------------------------------------------------
// Migration

/**
 * Gives tracking documents written before the backend set it their top-level `showId`. Only `showId`
 * is written, so nothing a user or a concurrent request wrote is touched; a document deleted meanwhile
 * is skipped. Returns how many were updated.
 */
export async function setShowIdFields(db: Firestore, docs: Array<{ ref: DocumentReference; showId: number }>): Promise<number> {
  const writer = db.bulkWriter();
  writer.onWriteError((error) => !isNotFound(error) && error.failedAttempts < 5);
  const writes = docs.map(({ ref, showId }) =>
    writer.update(ref, { showId }).then(
      () => true,
      (error: unknown) => (isNotFound(error) ? false : Promise.reject(error)),
    ),
  );
  await writer.close();
  return (await Promise.all(writes)).filter(Boolean).length;
}

// ---------------------------------------------------------------------------------------------
// Rewatch (docs/API.md: library callables)

/** The latest play of a watched episode, in milliseconds (the document's own `lastWatchedAt` included). */
function lastPlayMillis(doc: TrackingDoc): number | undefined {
  let latest = millisOf(doc.lastWatchedAt);
  for (const entry of Object.values(doc.episodes ?? {})) {
    const at = entry?.watched === true ? millisOf(entry.watchedAt) : undefined;
    if (at !== undefined && (latest === undefined || at > latest)) latest = at;
  }
  return latest;
}

/**
 * Starts a rewatch (`resetAt` = now, the pointer cleared) or, with `undo`, restores what the last reset
 * replaced. In one transaction on the tracking document, and idempotent under retries: a reset while
 * the current one has no play after it yet changes nothing (progress is already zero), and an undo with
 * nothing left to undo changes nothing. A show that is not tracked has nothing to reset. Returns the
 * `resetAt` in force afterwards.
 */
export async function resetShow(db: Firestore, uid: string, showId: number, now: Date, undo: boolean): Promise<Timestamp | null> {
  const ref = trackingRef(db, uid, showId);
  return db.runTransaction(async (tx) => {
    const snap = await tx.get(ref);
    if (!snap.exists) return null;
    const doc = snap.data() as TrackingDocWithState;
    const resetAt = doc.resetAt ?? null;
    const updatedAt = Timestamp.fromDate(now);
    if (undo) {
      if (!doc.previousReset) return resetAt;
      const restored = doc.previousReset.resetAt ?? null;
      tx.update(ref, { resetAt: restored, current: doc.previousReset.current ?? null, previousReset: FieldValue.delete(), updatedAt });
      markLibraryStale(tx, db, uid, [showId]);
      return restored;
    }
    const lastPlay = lastPlayMillis(doc);
    if (resetAt && (lastPlay === undefined || lastPlay <= resetAt.toMillis())) return resetAt;
    const next = Timestamp.fromDate(now);
    const previousReset = { resetAt, current: doc.current ?? null };
    tx.update(ref, { resetAt: next, current: null, previousReset, showId, updatedAt });
    markLibraryStale(tx, db, uid, [showId]);
    return next;
  });
}

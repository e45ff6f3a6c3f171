import {
  FieldPath,
  FieldValue,
  type DocumentReference,
  type DocumentSnapshot,
  type Firestore,
  type SetOptions,
  type WriteBatch,
} from "firebase-admin/firestore";
import { isAlreadyExists, isFailedPrecondition } from "../shared/firestoreErrors";
import { isHiddenStatus, type ShowStatus } from "../library/schemas";
import { MAX_DOCUMENT_BYTES, storageSize } from "../shared/firestore";
import { trackingCollection } from "../tracking/trackingDoc";
import type { ShowCatalog } from "./counting";
import { airInstant, airZoneOf } from "../language/airTime";
import { DEFAULT_LANGUAGE } from "../language/tags";
import type { LibraryShow, ShowProgress } from "./schemas";

/**
 * THE owner of the library summary (issue 16, sharded for issue 22): the only module that writes
 * `users/{uid}/library/summary` and its shards. The summary is derived data, the library answer
 * `computeShowProgress` gives, so it lives with the computation; tracking does not write it, it asks
 * (`markLibraryStale`, inside its own transaction or batch), and so does the nightly refresh
 * (`markShowStaleForUsers`).
 *
 * Layout (README, "Library summary"):
 * - `users/{uid}/library/summary`, the index: `shows.{showId}` holds every tracked show's head
 *   (`rev`, `staleAt`, `status`, `activity`), `shards` (0 or absent: no shard), `complete` and `language`:
 *   the language every stored name (show names, up next's episode names) is in (CONTRACT §11: the
 *   profile's; absent: the default language, as every summary written before issue 26). While the
 *   whole library fits in it (`shards` 0, about 1,500 shows), each head also holds `progress`: the
 *   document is exactly the one issue 16 wrote.
 * - `users/{uid}/library/summary-{k}`, k = 1..`shards`: `shows.{showId}: { progress, rev }` of the shows
 *   with `1 + showId % shards === k`. A client listens to the index and to the shards it names.
 *
 * The rule every tracking write follows: it marks its show's head stale in the index, in the same
 * transaction or batch: `staleAt: 0` and `rev + 1`, blind (no read, so no contention between shows, and
 * it never needs to know which shard holds the show). Freshness is the index's alone; a shard entry is
 * used only when its `rev` is the head's. A reader that recomputes entries writes them back in one batch
 * whose index update is conditioned on the index being unchanged since it was read, so an entry is never
 * marked fresh with data older than its tracking document. Owner-only readable by the rules (`users/{uid}/**`).
 */
export const LIBRARY_COLLECTION = "library";
export const LIBRARY_SUMMARY_ID = "summary";

export const librarySummaryRef = (db: Firestore, uid: string) =>
  db.collection("users").doc(uid).collection(LIBRARY_COLLECTION).doc(LIBRARY_SUMMARY_ID);
/** Shard `k` (1-based) of the summary. */
export const librarySummaryShardRef = (db: Firestore, uid: string, k: number) =>
  db.collection("users").doc(uid).collection(LIBRARY_COLLECTION).doc(`${LIBRARY_SUMMARY_ID}-${k}`);
/** The shard (1..shards) that holds a show's progress; 0 = the index itself. */
export const shardOf = (showId: number, shards: number) => (shards > 0 ? 1 + (showId % shards) : 0);

/**
 * A show's library entry: the library answer as `computeShowProgress` gave it, the user's status, the
 * activity the library is ordered by, and `staleAt` (ms): when the answer may change without a tracking
 * write (the next air date, or the expiry of a cache document it was computed from; 0 = recompute now).
 * `rev` counts tracking writes. A client may show the entries whose `staleAt` is in the future as they are.
 */
export interface LibraryEntry {
  progress: ShowProgress;
  status: ShowStatus;
  activity: number;
  staleAt: number;
  rev: number;
}

/** An entry as stored: a tracking write may have left only `staleAt` and `rev` (an entry to compute). */
export type StoredEntry = Partial<LibraryEntry>;

/** `users/{uid}/library/summary`. */
export interface LibrarySummaryDoc {
  shows?: Record<string, StoredEntry>;
  /** Shard documents `summary-1..summary-{shards}`; absent or 0: the progress is in `shows`. */
  shards?: number;
  /** Built from a listing of the tracking documents (or checked against their count): knows every tracked show. */
  complete?: boolean;
  /** The language of every name in the entries (absent: `DEFAULT_LANGUAGE`). A whole summary is in one language. */
  language?: string;
}

/** `users/{uid}/library/summary-{k}`. */
export interface LibrarySummaryShardDoc {
  shows?: Record<string, { progress: ShowProgress; rev: number }>;
}

/**
 * The layout's budgets, in storage bytes (a library of 5,000 shows is about 3 MB of entries). Tests pass
 * smaller ones to shard a few shows.
 */
export interface SummaryBudgets {
  /** Whole entries stay in the index up to this; it leaves room for the blind marks of new shows. */
  indexBytes: number;
  /** A layout fills a shard up to this, leaving room for the entries that grow or arrive... */
  shardBytes: number;
  /** ...until one passes this (under Firestore's 1 MiB): then the library is laid out again. */
  shardLimitBytes: number;
}
export const DEFAULT_SUMMARY_BUDGETS: SummaryBudgets = {
  indexBytes: 768_000,
  shardBytes: 900_000,
  shardLimitBytes: MAX_DOCUMENT_BYTES - 48_576,
};
const MAX_SHARDS = 64;

/** A transaction or a batch: both take blind merge writes. */
interface BlindWriter {
  set(ref: DocumentReference, data: Record<string, unknown>, options: SetOptions): unknown;
}

/**
 * Marks the shows' library entries stale (creating the head if missing), inside the caller's
 * transaction or batch: the one write tracking makes to the summary. Only the index is written.
 */
export function markLibraryStale(writer: BlindWriter, db: Firestore, uid: string, showIds: number[]): void {
  if (showIds.length === 0) return;
  const shows = Object.fromEntries(showIds.map((showId) => [String(showId), { staleAt: 0, rev: FieldValue.increment(1) }]));
  writer.set(librarySummaryRef(db, uid), { shows }, { merge: true });
}

/**
 * Marks one show's entry stale in the summaries of the given users, e.g. after the nightly job refreshed
 * the show's cache documents before they expired (entries computed from the old ones must go).
 */
export async function markShowStaleForUsers(db: Firestore, uids: string[], showId: number): Promise<void> {
  const unique = [...new Set(uids)].filter((uid) => uid !== "");
  for (let i = 0; i < unique.length; i += 400) {
    const batch = db.batch();
    for (const uid of unique.slice(i, i + 400)) markLibraryStale(batch, db, uid, [showId]);
    await batch.commit();
  }
}

/**
 * After the profile's language changed to `language` (`setPreferences`): every entry of a summary in another
 * language is made due for recomputation (`staleAt` lowered to `RECOMPUTE_NEXT_VIEW`; 0 stays 0), so a client
 * listening to the summary, which shows entries whose `staleAt` is in the future as they are, asks `getLibrary`
 * instead of showing names in the old language. `getLibrary` does not need it (it compares the summary's
 * `language` with the profile's and recomputes every entry), and status stays as current as it was (the
 * calendar reads `staleAt` 0 only as "status maybe changed"). One read and one write, in a transaction so a
 * concurrent tracking write's 0 is never raised to 1. Returns whether it wrote.
 */
export async function markLibraryLanguageStale(db: Firestore, uid: string, language: string): Promise<boolean> {
  const ref = librarySummaryRef(db, uid);
  return db.runTransaction(async (tx) => {
    const snap = await tx.get(ref);
    const data = snap.data() as LibrarySummaryDoc | undefined;
    if (!data || (data.language ?? DEFAULT_LANGUAGE) === language) return false;
    const fields: unknown[] = [];
    for (const [id, head] of Object.entries(data.shows ?? {})) {
      if (typeof head.staleAt === "number" && head.staleAt > RECOMPUTE_NEXT_VIEW)
        fields.push(new FieldPath("shows", id, "staleAt"), RECOMPUTE_NEXT_VIEW);
    }
    if (fields.length === 0) return false;
    const [first, value, ...rest] = fields as [FieldPath, unknown, ...unknown[]];
    tx.update(ref, first, value, ...rest);
    return true;
  });
}

export interface LibrarySummaryRead {
  /** The index as read: the version the write-back is conditioned on. */
  index: DocumentSnapshot;
  /** Every show's entry, its progress joined from its shard (missing when the shard's `rev` is not the head's). */
  stored: Record<string, StoredEntry>;
  /** Knows every tracked show. */
  complete: boolean;
  shards: number;
  /** Was `complete` learnt from a `count()` (a summary without the mark): the write-back records it. */
  countedComplete: boolean;
  /** The language the stored names are in. */
  language: string;
}

/**
 * The summary and whether it knows every tracked show: one read of the index and, with `progress`,
 * one batched read of its shards (0 for a library that fits the index); constant in the library's size.
 * An index that does not say `complete` (written before the mark existed, or only marked by tracking
 * writes) is checked with one `count()` of the tracking documents.
 */
export async function readLibrarySummary(
  db: Firestore,
  uid: string,
  { progress = true }: { progress?: boolean } = {},
): Promise<LibrarySummaryRead> {
  const index = await librarySummaryRef(db, uid).get();
  const data = (index.data() as LibrarySummaryDoc | undefined) ?? {};
  const heads = data.shows ?? {};
  const shards = Number.isSafeInteger(data.shards) && (data.shards ?? 0) > 0 ? (data.shards as number) : 0;
  const language = typeof data.language === "string" ? data.language : DEFAULT_LANGUAGE;
  let stored = heads;
  if (progress && shards > 0) {
    const refs = Array.from({ length: shards }, (_, k) => librarySummaryShardRef(db, uid, k + 1));
    const contents = (await db.getAll(...refs)).map((snap) => (snap.data() as LibrarySummaryShardDoc | undefined)?.shows ?? {});
    stored = {};
    for (const [id, head] of Object.entries(heads)) {
      const { progress: _inIndex, ...rest } = head;
      const content = contents[shardOf(Number(id), shards) - 1]?.[id];
      stored[id] = content !== undefined && content.rev === head.rev ? { ...rest, progress: content.progress } : rest;
    }
  }
  if (data.complete === true) return { index, stored, complete: true, shards, countedComplete: false, language };
  if (!index.exists) return { index, stored, complete: false, shards, countedComplete: false, language };
  const count = (await trackingCollection(db, uid).count().get()).data().count;
  const complete = Object.keys(heads).length === count;
  return { index, stored, complete, shards, countedComplete: complete, language };
}

/** Can the stored entry be served as it is at `now`? */
export const isServable = (entry: StoredEntry | undefined, now: Date): entry is LibraryEntry =>
  entry?.progress !== undefined &&
  entry.status !== undefined &&
  typeof entry.activity === "number" &&
  typeof entry.staleAt === "number" &&
  entry.staleAt > now.getTime();

/** The first air date after `today` (as the moment, UTC midnight, it starts counting as aired), if any. */
export function nextAirMillis(catalog: ShowCatalog, today: string): number | undefined {
  let next: number | undefined;
  const zone = airZoneOf(catalog.facts);
  for (const episodes of catalog.seasons.values()) {
    for (const episode of Object.values(episodes ?? {})) {
      const airDate = episode?.episodeAirDate;
      if (typeof airDate !== "string" || airDate <= today) continue;
      // The moment it airs by the show's clock (language/airTime.ts), not the date's UTC midnight.
      const at = airInstant(airDate, zone)?.getTime() ?? Number.NaN;
      if (!Number.isNaN(at) && (next === undefined || at < next)) next = at;
    }
  }
  return next;
}

/**
 * `staleAt` of an entry computed cold (TMDB unknown, or the cache just filled): recompute on the next view,
 * like a tracking write's `0`, but its `status` is the tracking document's as just read, and 1 rather than 0
 * tells readers that only need the status (the calendar) that it is current.
 */
export const RECOMPUTE_NEXT_VIEW = 1;

/**
 * When an answer computed now stops being the answer: for a show computed from fresh cache documents,
 * the next air date or their expiry, whichever is first; otherwise (loaded cold) at once.
 */
export function staleAtOf(warm: { catalog: ShowCatalog | null; expiresAt: number } | null, today: string): number {
  if (!warm) return RECOMPUTE_NEXT_VIEW;
  const nextAir = warm.catalog ? nextAirMillis(warm.catalog, today) : undefined;
  return Math.min(warm.expiresAt, nextAir ?? Number.POSITIVE_INFINITY);
}

/** A hidden (paused, dropped) show listed on request has nothing up next. */
export function libraryShowOf(entry: Pick<LibraryEntry, "progress" | "status">): LibraryShow {
  return { ...entry.progress, status: entry.status, nextEpisode: isHiddenStatus(entry.status) ? null : entry.progress.nextEpisode };
}

/** The library answer from entries: newest activity first (ties by show id), hidden shows only on request. */
export function libraryAnswer(entries: Iterable<LibraryEntry>, includeHidden: boolean): LibraryShow[] {
  return [...entries]
    .filter((entry) => includeHidden || !isHiddenStatus(entry.status))
    .sort((a, b) => b.activity - a.activity || a.progress.showId - b.progress.showId)
    .map(libraryShowOf);
}

// ------------------------------------------------------------------------------------- write-back

const headOf = ({ progress: _progress, ...head }: StoredEntry): StoredEntry => head;

const entrySize = (id: string, value: unknown) => Buffer.byteLength(id, "utf8") + 1 + storageSize(value);
/** Fixed part of a document's size: its name, the `shows` key and the other fields. */
const docOverhead = (ref: DocumentReference) => Buffer.byteLength(ref.path, "utf8") + 16 + 64;

/** The documents' sizes if `entries` were laid out in `shards` shards: [index, shard 1, ...]. */
function layoutSizes(ref: DocumentReference, entries: Map<string, StoredEntry>, shards: number): number[] {
  const sizes = Array.from({ length: shards + 1 }, () => docOverhead(ref));
  for (const [id, entry] of entries) {
    if (shards === 0) {
      sizes[0] += entrySize(id, entry);
      continue;
    }
    sizes[0] += entrySize(id, headOf(entry));
    sizes[shardOf(Number(id), shards)] += entrySize(id, { progress: entry.progress, rev: entry.rev });
  }
  return sizes;
}

/** The fewest shards that hold the entries within the budgets; undefined beyond `MAX_SHARDS` (or an index of heads over 1 MiB). */
function chooseShards(ref: DocumentReference, entries: Map<string, StoredEntry>, budgets: SummaryBudgets): number | undefined {
  if (layoutSizes(ref, entries, 0)[0] <= budgets.indexBytes) return 0;
  for (let shards = 1; shards <= MAX_SHARDS; shards++) {
    const [index, ...rest] = layoutSizes(ref, entries, shards);
    if (index > budgets.indexBytes) return undefined;
    if (rest.every((size) => size <= budgets.shardBytes)) return shards;
  }
  return undefined;
}

/** Does the current layout still hold the entries: the index under its budget, every shard under Firestore's limit? */
function layoutHolds(ref: DocumentReference, entries: Map<string, StoredEntry>, shards: number, budgets: SummaryBudgets): boolean {
  const [index, ...rest] = layoutSizes(ref, entries, shards);
  return index <= budgets.indexBytes && rest.every((size) => size <= budgets.shardLimitBytes);
}

/**
 * Writes recomputed entries back (and drops entries of shows no longer tracked) in one batch, on
 * condition that the index is unchanged since `read`: the recomputation read the tracking documents
 * after it, and every tracking write also writes the index, so a lost condition means some entry may be
 * older than its tracking document: nothing is written and the next view recomputes. Costs no read.
 * With `rebuilt` (the entries were computed from a listing of every tracking document), the summary is
 * written whole and marked `complete`. When the library outgrows the layout, it is laid out again
 * (`chooseShards`) and every document is rewritten; only a library whose heads alone pass the index's
 * budget (about 11,000 shows: 70 bytes a head) is not written, and is recomputed on every view. Returns whether it was written.
 *
 * `language` is the language the entries' names are in (default: the summary's). A summary is in ONE
 * language: when it differs from `read.language`, `entries` (with `removed`) must cover every stored show
 * (the caller recomputed them all) and the index's `language` is written with them, on the same condition.
 */
export async function writeBackEntries(
  db: Firestore,
  uid: string,
  read: LibrarySummaryRead,
  entries: Map<number, LibraryEntry>,
  removed: number[],
  {
    rebuilt = false,
    budgets = DEFAULT_SUMMARY_BUDGETS,
    language = read.language,
  }: { rebuilt?: boolean; budgets?: SummaryBudgets; language?: string } = {},
): Promise<boolean> {
  const markComplete = (rebuilt || read.countedComplete) && !((read.index.data() as LibrarySummaryDoc | undefined)?.complete === true);
  const markLanguage = language !== read.language;
  if (entries.size === 0 && removed.length === 0 && !markComplete && !markLanguage) return true;
  const ref = librarySummaryRef(db, uid);
  const merged = new Map<string, StoredEntry>(Object.entries(read.stored));
  for (const [id, entry] of entries) merged.set(String(id), entry);
  for (const id of removed) merged.delete(String(id));

  const relayout = !read.index.exists || !layoutHolds(ref, merged, read.shards, budgets);
  const shards = relayout ? chooseShards(ref, merged, budgets) : read.shards;
  if (shards === undefined) return false;
  const complete = read.complete || rebuilt;
  const batch = db.batch();
  if (relayout) writeWhole(batch, db, uid, read, merged, shards, complete, language);
  else writeChanges(batch, db, uid, read, entries, removed, markComplete, markLanguage ? language : undefined);
  try {
    await batch.commit();
    return true;
  } catch (error) {
    if (isFailedPrecondition(error) || isAlreadyExists(error)) return false;
    throw error;
  }
}

/** Every document of the layout written whole; shards of a larger earlier layout deleted. */
function writeWhole(
  batch: WriteBatch,
  db: Firestore,
  uid: string,
  read: LibrarySummaryRead,
  merged: Map<string, StoredEntry>,
  shards: number,
  complete: boolean,
  language: string,
): void {
  const ref = librarySummaryRef(db, uid);
  const heads: Record<string, StoredEntry> = {};
  const contents = Array.from({ length: shards }, () => ({}) as Record<string, unknown>);
  for (const [id, entry] of merged) {
    heads[id] = shards === 0 ? entry : headOf(entry);
    if (shards > 0) contents[shardOf(Number(id), shards) - 1][id] = { progress: entry.progress, rev: entry.rev };
  }
  const index = { shows: heads, shards, complete, language };
  if (read.index.exists) batch.update(ref, index, { lastUpdateTime: read.index.updateTime });
  else batch.create(ref, index);
  contents.forEach((shows, k) => batch.set(librarySummaryShardRef(db, uid, k + 1), { shows }));
  for (let k = shards + 1; k <= read.shards; k++) batch.delete(librarySummaryShardRef(db, uid, k));
}

/** Only the changed entries: their heads in the index (conditioned on its version), their progress in their shards. */
function writeChanges(
  batch: WriteBatch,
  db: Firestore,
  uid: string,
  read: LibrarySummaryRead,
  entries: Map<number, LibraryEntry>,
  removed: number[],
  markComplete: boolean,
  language: string | undefined,
): void {
  const { shards } = read;
  const indexFields: unknown[] = [];
  const shardFields = new Map<number, { data: Record<string, unknown>; paths: FieldPath[] }>();
  const toShard = (showId: number, value: unknown) => {
    const k = shardOf(showId, shards);
    const fields = shardFields.get(k) ?? { data: {}, paths: [] };
    fields.data[String(showId)] = value;
    fields.paths.push(new FieldPath("shows", String(showId)));
    shardFields.set(k, fields);
  };
  for (const [id, entry] of entries) {
    indexFields.push(new FieldPath("shows", String(id)), shards === 0 ? entry : headOf(entry));
    if (shards > 0) toShard(id, { progress: entry.progress, rev: entry.rev });
  }
  for (const id of removed) {
    indexFields.push(new FieldPath("shows", String(id)), FieldValue.delete());
    if (shards > 0) toShard(id, FieldValue.delete());
  }
  if (markComplete) indexFields.push(new FieldPath("complete"), true);
  if (language !== undefined) indexFields.push(new FieldPath("language"), language);
  const [first, value, ...rest] = indexFields as [FieldPath, unknown, ...unknown[]];
  batch.update(librarySummaryRef(db, uid), first, value, ...rest, { lastUpdateTime: read.index.updateTime });
  for (const [k, { data, paths }] of shardFields) batch.set(librarySummaryShardRef(db, uid, k), { shows: data }, { mergeFields: paths });
}

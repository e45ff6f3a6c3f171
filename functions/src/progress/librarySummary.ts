import { FieldPath, FieldValue, type DocumentSnapshot, type Firestore } from "firebase-admin/firestore";
import { isAlreadyExists, isFailedPrecondition } from "../shared/firestoreErrors";
import { isHiddenStatus, type ShowStatus } from "../library/schemas";
import { librarySummaryRef } from "../tracking/librarySummaryDoc";
import { trackingCollection } from "../tracking/trackingDoc";
import { fitsDocumentLimit } from "../shared/firestore";
import type { ShowCatalog } from "./counting";
import type { LibraryShow, ShowProgress } from "./schemas";

/**
 * One show's entry in `users/{uid}/library/summary` (`shows.{showId}`): the library answer as
 * `computeShowProgress` gave it, the user's status, the activity the library is ordered by, and
 * `staleAt` (ms): when the answer may change without a tracking write (the next air date, or the
 * expiry of a cache document it was computed from; 0 = recompute now). `rev` counts tracking writes
 * (tracking/librarySummaryDoc.ts). A client may listen to the document (rules: owner-only) and show
 * the entries whose `staleAt` is in the future as they are.
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

export interface LibrarySummaryDoc {
  shows?: Record<string, StoredEntry>;
}

/**
 * The summary and whether it knows every tracked show: one read of it and one `count()` of the tracking
 * documents (documents written before the summary existed make it incomplete).
 */
export async function readLibrarySummary(db: Firestore, uid: string) {
  const [summary, count] = await Promise.all([librarySummaryRef(db, uid).get(), trackingCollection(db, uid).count().get()]);
  const stored = (summary.data() as LibrarySummaryDoc | undefined)?.shows ?? {};
  return { summary, stored, complete: Object.keys(stored).length === count.data().count };
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
  for (const episodes of catalog.seasons.values()) {
    for (const episode of Object.values(episodes ?? {})) {
      const airDate = episode?.episodeAirDate;
      if (typeof airDate !== "string" || airDate <= today) continue;
      const at = Date.parse(`${airDate}T00:00:00Z`);
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

/**
 * Writes recomputed entries back (and drops entries of shows no longer tracked), on condition that the
 * summary is unchanged since `read`: the recomputation read the tracking documents after it, and every
 * tracking write also writes the summary, so a lost condition means some entry may be older than its
 * tracking document: nothing is written and the next view recomputes. Costs no read. A summary that
 * would pass 1 MiB is not written either. Returns whether it was written.
 */
export async function writeBackEntries(
  db: Firestore,
  uid: string,
  read: DocumentSnapshot,
  entries: Map<number, LibraryEntry>,
  removed: number[],
): Promise<boolean> {
  if (entries.size === 0 && removed.length === 0) return true;
  const ref = librarySummaryRef(db, uid);
  const current = ((read.data() as LibrarySummaryDoc | undefined)?.shows ?? {}) as Record<string, StoredEntry>;
  const merged: Record<string, StoredEntry> = { ...current, ...Object.fromEntries([...entries].map(([id, entry]) => [String(id), entry])) };
  for (const id of removed) delete merged[String(id)];
  if (!fitsDocumentLimit(ref.path, { shows: merged })) return false;
  try {
    if (!read.exists) {
      await ref.create({ shows: merged });
      return true;
    }
    const args: unknown[] = [];
    for (const [id, entry] of entries) args.push(new FieldPath("shows", String(id)), entry);
    for (const id of removed) args.push(new FieldPath("shows", String(id)), FieldValue.delete());
    const [first, value, ...rest] = args as [FieldPath, unknown, ...unknown[]];
    await ref.update(first, value, ...rest, { lastUpdateTime: read.updateTime });
    return true;
  } catch (error) {
    if (isFailedPrecondition(error) || isAlreadyExists(error)) return false;
    throw error;
  }
}

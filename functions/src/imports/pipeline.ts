import { FieldPath, Timestamp, type DocumentSnapshot, type Firestore } from "firebase-admin/firestore";
import pLimit from "p-limit";
import { metered, type AppContext } from "../shared/app";
import { writeRating } from "../library/ratings";
import { writeWatchlist } from "../library/watchlist";
import { isFailedPrecondition, isNotFound } from "../shared/firestoreErrors";
import { historyCollection, type Play } from "../tracking/plays";
import { applyTrackingFields, recordPlays } from "../tracking/repository";
import { importRef, jobRef, partRef, partsCollection, type ImportDoc, type ImportJobDoc } from "./documents";
import { ImportFileError } from "./errors";
import { logImportChunk, logImportFinished } from "./logs";
import { planImport, type ImportOp, type ImportPlan } from "./plan";
import { IMPORT_RUN_BUDGET_SECONDS, type ImportQueue, type ImportTask } from "./queue";
import { readUpload } from "./readUpload";
import { resolveIds, type EpisodeFinder, type MovieFinder } from "./resolve";
import type { ImportCounts } from "./schemas";

/** Operations applied per checkpoint: one `recordPlays` call and one cursor write. */
export const IMPORT_CHUNK_OPS = 400;
/** The import document (what clients listen to) is written at most this often while running. */
const PROGRESS_INTERVAL_MS = 1000;
const DEFAULT_RUN_BUDGET_MS = IMPORT_RUN_BUDGET_SECONDS * 1000;
const LIBRARY_CONCURRENCY = 8;

export interface ImportDeps extends Pick<AppContext, "db" | "tmdb" | "config" | "clock"> {
  queue: ImportQueue;
  finders?: { episodes?: EpisodeFinder; movies?: MovieFinder };
  runBudgetMs?: number;
  /** Test seam: called after a chunk is applied and before its cursor is saved (throw to simulate a crash). */
  afterChunkApplied?: (cursor: number) => void | Promise<void>;
  /** Bench seam: each chunk's cost as it is logged (does its cost grow with the history?). */
  onChunk?: (chunk: { cursor: number; plays: number; durationMs: number }) => void;
}

interface RunningCounts {
  added: number;
  duplicates: number;
}

/**
 * The background job of one import (a Cloud Tasks task): read the staged file, parse it, map its ids,
 * then apply its operations in chunks of IMPORT_CHUNK_OPS from the cursor in `job/state`. Safe to run
 * again at any point: finished imports are left alone, a chunk that died midway is applied again (plays
 * have deterministic ids, library writes are idempotent) and counted as if it had run once, so a
 * retried or resumed run ends in the same state as an uninterrupted one. A file that cannot be read
 * fails the import before anything is applied.
 */
export async function runImport(importDeps: ImportDeps, task: ImportTask): Promise<"done" | "failed" | "continued" | "skipped"> {
  // The locks of its TMDB lookups name the import: a retried run takes over those a killed one left at once.
  const deps = metered({ ...importDeps, holder: `import:${task.uid}:${task.importId}` });
  const { db } = deps;
  const { uid, importId } = task;
  const started = Date.now();
  const [snap, jobSnap] = await db.getAll(importRef(db, uid, importId), jobRef(db, uid, importId));
  if (!snap.exists) return "skipped";
  const doc = snap.data() as ImportDoc;
  if (doc.status === "done" || doc.status === "failed" || !jobSnap.exists) {
    await deleteStaging(db, uid, importId);
    return "skipped";
  }
  if (doc.status === "uploading") return "skipped";
  const job = jobSnap.data() as ImportJobDoc & { added?: number; duplicates?: number };
  if (doc.status === "queued") {
    try {
      // Only over the state just read: a concurrent run may have finished it since.
      await importRef(db, uid, importId).update({ status: "running", updatedAt: now(deps) }, { lastUpdateTime: snap.updateTime });
    } catch (error) {
      if (!isFailedPrecondition(error)) throw error;
    }
  }

  let plan: ImportPlan;
  try {
    const bytes = await loadStagedFile(db, uid, importId, doc.fileName, job);
    const files = await readUpload(doc.fileName, bytes, doc.source);
    const records = files.flatMap((file) => file.records);
    plan = planImport(files, await resolveIds(deps, records, deps.finders));
  } catch (error) {
    if (!(error instanceof ImportFileError)) throw error;
    // Staging deleted under us means another run of this import finished it: nothing to fail.
    if (!(await finish(deps, task, { status: "failed", error: { code: error.code, message: error.message } }))) return "skipped";
    logImportFinished({
      uid,
      importId,
      status: "failed",
      formats: [],
      records: 0,
      added: 0,
      duplicates: 0,
      unmatched: 0,
      invalid: 0,
      errorCode: error.code,
      tmdbCalls: deps.meter.requests,
      durationMs: Date.now() - started,
    });
    return "failed";
  }

  const counts: RunningCounts = { added: job.added ?? 0, duplicates: job.duplicates ?? 0 };
  const total = plan.ops.length;
  let cursor = Math.min(job.cursor, total);
  let lastProgressAt = 0;
  const budget = deps.runBudgetMs ?? DEFAULT_RUN_BUDGET_MS;
  while (cursor < total) {
    const chunkStarted = Date.now();
    const chunk = plan.ops.slice(cursor, cursor + IMPORT_CHUNK_OPS);
    const plays = chunk.flatMap((op) => (op.kind === "play" ? [op.play] : []));
    const start = await startChunk(db, task, cursor, plays);
    if (!start) return "skipped"; // another run of this import finished it meanwhile
    const result = await applyChunk(deps, uid, chunk, plays, start.existing);
    // Alone on the chunk, what this run wrote is what the chunk added; after a dead or beside a concurrent
    // attempt (Cloud Tasks delivers at least once), it is what exists now minus what existed before the first.
    const attempts = start.attempt === 1 ? await chunkAttempts(db, task, cursor) : start.attempt;
    if (attempts === null) return "skipped";
    const added = attempts === 1 ? result.added : (await existingPlayIds(db, uid, plays)).size - start.existedBefore;
    counts.added += added;
    counts.duplicates += plays.length - added;
    await deps.afterChunkApplied?.(cursor);
    cursor += chunk.length;
    try {
      await jobRef(db, uid, importId).update({ cursor, added: counts.added, duplicates: counts.duplicates });
    } catch (error) {
      if (isNotFound(error)) return "skipped"; // finished by another run of this import
      throw error;
    }
    logImportChunk({ uid, importId, cursor, total, added, duplicates: plays.length - added, durationMs: Date.now() - chunkStarted });
    deps.onChunk?.({ cursor, plays: plays.length, durationMs: Date.now() - chunkStarted });
    if (cursor < total && Date.now() - lastProgressAt >= PROGRESS_INTERVAL_MS) {
      lastProgressAt = Date.now();
      if (!(await writeProgress(deps, task, { processed: cursor, total }, countsOf(plan, counts)))) return "skipped";
    }
    if (cursor < total && Date.now() - started > budget) {
      await deps.queue.enqueue({ uid, importId, cursor });
      return "continued";
    }
  }
  if (!(await finish(deps, task, { status: "done", plan, counts }))) return "skipped";
  logImportFinished({
    uid,
    importId,
    status: "done",
    formats: plan.formats,
    records: total,
    added: counts.added,
    duplicates: counts.duplicates,
    unmatched: plan.unmatchedRows,
    invalid: plan.invalidRows,
    tmdbCalls: deps.meter.requests,
    durationMs: Date.now() - started,
  });
  return "done";
}

const now = (deps: Pick<AppContext, "clock">) => Timestamp.fromDate(deps.clock());

/**
 * Progress for the client's listener, only while the import is unfinished: a run beside another (Cloud
 * Tasks delivers at least once) must not write its partial counts over the final ones. False when
 * another run of this import finished it.
 */
async function writeProgress(
  deps: Pick<AppContext, "db" | "clock">,
  { uid, importId }: ImportTask,
  progress: ImportDoc["progress"],
  counts: ImportCounts,
): Promise<boolean> {
  const ref = importRef(deps.db, uid, importId);
  return deps.db.runTransaction(async (tx) => {
    const status = ((await tx.get(ref)).data() as ImportDoc | undefined)?.status;
    if (status !== "running" && status !== "queued") return false;
    tx.update(ref, { progress, counts, updatedAt: now(deps) });
    return true;
  });
}

function countsOf(plan: ImportPlan, running: RunningCounts): ImportCounts {
  return { ...running, ...plan.distinct, unmatched: plan.unmatchedRows, invalid: plan.invalidRows };
}

/** The staged parts, in order, as one buffer of exactly the declared size. */
async function loadStagedFile(db: Firestore, uid: string, importId: string, fileName: string, job: ImportJobDoc): Promise<Buffer> {
  const parts = job.parts ?? 0;
  const snaps = parts > 0 ? await db.getAll(...Array.from({ length: parts }, (_, i) => partRef(db, uid, importId, i))) : [];
  const buffers = snaps.map((snap) => (snap.exists ? Buffer.from(snap.get("data") as Uint8Array) : Buffer.alloc(0)));
  const bytes = Buffer.concat(buffers);
  if (bytes.length !== job.sizeBytes)
    throw new ImportFileError("empty-file", fileName, `the staged upload has ${bytes.length} of ${job.sizeBytes} bytes`);
  return bytes;
}

/** The distinct play ids of `plays` that already have a history document, looked up by key. */
async function existingPlayIds(db: Firestore, uid: string, plays: Play[]): Promise<Set<string>> {
  const ids = [...new Set(plays.map((play) => play.historyId))];
  if (ids.length === 0) return new Set();
  const history = historyCollection(db, uid);
  const snaps = await db.getAll(...ids.map((id) => history.doc(id)), { fieldMask: [] });
  return new Set(snaps.filter((snap) => snap.exists).map((snap) => snap.id));
}

type ChunkState = NonNullable<ImportJobDoc["chunks"]>[string];
const chunkOf = (snap: DocumentSnapshot, cursor: number) => (snap.get("chunks") as ImportJobDoc["chunks"] | undefined)?.[String(cursor)];

/**
 * Starts an attempt at the chunk at `cursor`: counts it in `job/state` and, on its first attempt by any
 * run, records how many of its plays existed before. That look-up by key is also the one the plays are
 * recorded with (`existing`, given on a first attempt), so a play costs one read. Null when the job
 * state is gone (another run of this import finished it).
 */
async function startChunk(
  db: Firestore,
  { uid, importId }: ImportTask,
  cursor: number,
  plays: Play[],
): Promise<{ existedBefore: number; attempt: number; existing?: Set<string> } | null> {
  const ref = jobRef(db, uid, importId);
  return db.runTransaction(async (tx) => {
    const snap = await tx.get(ref);
    if (!snap.exists) return null;
    const known: ChunkState | undefined = chunkOf(snap, cursor);
    const existing = known ? undefined : await existingPlayIds(db, uid, plays);
    const state: ChunkState = {
      existedBefore: known?.existedBefore ?? existing?.size ?? 0,
      attempts: (known?.attempts ?? 0) + 1,
    };
    tx.update(ref, new FieldPath("chunks", String(cursor)), state);
    return { existedBefore: state.existedBefore, attempt: state.attempts, ...(existing ? { existing } : {}) };
  });
}

/** The attempts at the chunk so far (null: the job state is gone). */
async function chunkAttempts(db: Firestore, { uid, importId }: ImportTask, cursor: number): Promise<number | null> {
  const snap = await jobRef(db, uid, importId).get();
  return snap.exists ? (chunkOf(snap, cursor)?.attempts ?? 1) : null;
}

async function applyChunk(
  deps: ImportDeps,
  uid: string,
  chunk: ImportOp[],
  plays: Play[],
  existingIds: Set<string> | undefined,
): Promise<{ added: number }> {
  const { db } = deps;
  const result = plays.length
    ? await recordPlays(db, uid, plays, { clock: deps.clock, ...(existingIds ? { existingIds } : {}) })
    : { added: 0 };
  const at = deps.clock();
  const limit = pLimit(LIBRARY_CONCURRENCY);
  await Promise.all(
    chunk.map((op) =>
      limit(async () => {
        switch (op.kind) {
          // Unchanged show states are not written again (importing the same file again writes nothing).
          case "status":
            return applyTrackingFields(db, uid, op.showId, { status: op.status }, at);
          case "resetAt":
            return applyTrackingFields(db, uid, op.showId, { resetAt: Timestamp.fromDate(op.resetAt) }, at);
          case "rating":
            return writeRating(db, uid, op.target, op.rating, op.ratedAt ?? at);
          case "watchlist":
            return writeWatchlist(db, uid, op.media, true, op.addedAt ?? at);
          default:
            return undefined;
        }
      }),
    ),
  );
  return { added: result.added };
}

type Outcome =
  | { status: "done"; plan: ImportPlan; counts: RunningCounts }
  | { status: "failed"; error: { code: string; message: string }; plan?: undefined; counts?: undefined };

/**
 * Writes the import's final state, then deletes the staged parts and the job state; only while the import
 * is unfinished (two runs of one import may race to the end: the first decides, and a run that finds the
 * staging already deleted by it does not turn `done` into `failed`). Returns whether this call finished it.
 */
async function finish(deps: Pick<AppContext, "db" | "clock">, { uid, importId }: ImportTask, outcome: Outcome): Promise<boolean> {
  const at = now(deps);
  const fields: Partial<ImportDoc> =
    outcome.status === "done"
      ? {
          status: "done",
          progress: { processed: outcome.plan.ops.length, total: outcome.plan.ops.length },
          counts: countsOf(outcome.plan, outcome.counts),
          unmatched: outcome.plan.unmatched,
          error: null,
        }
      : { status: "failed", error: outcome.error };
  const ref = importRef(deps.db, uid, importId);
  const finished = await deps.db.runTransaction(async (tx) => {
    const snap = await tx.get(ref);
    const status = (snap.data() as ImportDoc | undefined)?.status;
    if (!snap.exists || status === "done" || status === "failed") return false;
    tx.update(ref, { ...fields, updatedAt: at, finishedAt: at });
    return true;
  });
  await deleteStaging(deps.db, uid, importId);
  return finished;
}

/** Marks an import failed from outside the pipeline (its task ran out of retries). Leaves a finished import as it is. */
export async function markImportFailed(
  deps: Pick<AppContext, "db" | "clock">,
  task: ImportTask,
  error: { code: string; message: string },
): Promise<void> {
  await finish(deps, task, { status: "failed", error });
}

async function deleteStaging(db: Firestore, uid: string, importId: string): Promise<void> {
  for (;;) {
    const page = await partsCollection(db, uid, importId).select().limit(100).get();
    if (page.empty) break;
    const batch = db.batch();
    page.docs.forEach((doc) => batch.delete(doc.ref));
    await batch.commit();
  }
  await jobRef(db, uid, importId).delete();
}

import { Timestamp, type Firestore } from "firebase-admin/firestore";
import type { AppContext } from "../shared/app";
import { failedPrecondition, invalidArgument, notFound } from "../shared/errors";
import {
  expiresAtFrom,
  importRef,
  importsCollection,
  jobRef,
  partRef,
  partsCollection,
  zeroCounts,
  type ImportDoc,
  type ImportJobDoc,
  type ImportPartDoc,
} from "./documents";
import { logImportCreated, logImportStarted } from "./logs";
import type { ImportQueue } from "./queue";
import {
  IMPORT_PART_BYTES,
  type CreateImportRequest,
  type CreateImportResponse,
  type StartImportRequest,
  type StartImportResponse,
  type UploadImportPartRequest,
  type UploadImportPartResponse,
} from "./schemas";

type Deps = Pick<AppContext, "db" | "clock">;

/** `createImport`: a new import document (`uploading`) and its job state; the client then uploads parts. */
export async function createImport(deps: Deps, uid: string, request: CreateImportRequest): Promise<CreateImportResponse> {
  const now = deps.clock();
  const ref = importsCollection(deps.db, uid).doc();
  const at = Timestamp.fromDate(now);
  const doc: ImportDoc = {
    fileName: request.fileName,
    source: request.source ?? "auto",
    status: "uploading",
    progress: { processed: 0, total: 0 },
    counts: zeroCounts(),
    unmatched: [],
    error: null,
    createdAt: at,
    updatedAt: at,
    finishedAt: null,
  };
  const job: ImportJobDoc = {
    sizeBytes: request.sizeBytes,
    partBytes: IMPORT_PART_BYTES,
    parts: null,
    cursor: 0,
    chunks: {},
    expiresAt: expiresAtFrom(now),
  };
  const batch = deps.db.batch();
  batch.create(ref, doc);
  batch.create(jobRef(deps.db, uid, ref.id), job);
  await batch.commit();
  logImportCreated({ uid, importId: ref.id, fileName: request.fileName, sizeBytes: request.sizeBytes });
  return { importId: ref.id, partBytes: IMPORT_PART_BYTES };
}

/** How many parts a file of `sizeBytes` takes, and the exact size of part `index`. */
export const partCount = (job: Pick<ImportJobDoc, "sizeBytes" | "partBytes">) => Math.ceil(job.sizeBytes / job.partBytes);
export function expectedPartSize(job: Pick<ImportJobDoc, "sizeBytes" | "partBytes">, index: number): number {
  const last = partCount(job) - 1;
  return index < last ? job.partBytes : job.sizeBytes - last * job.partBytes;
}

async function readUploading(db: Firestore, uid: string, importId: string): Promise<{ doc: ImportDoc; job: ImportJobDoc }> {
  const [snap, jobSnap] = await db.getAll(importRef(db, uid, importId), jobRef(db, uid, importId));
  if (!snap.exists) throw notFound(`importId: no import ${importId}`);
  const doc = snap.data() as ImportDoc;
  if (!jobSnap.exists) throw failedPrecondition(`importId: import ${importId} is ${doc.status}, no longer taking parts`);
  return { doc, job: jobSnap.data() as ImportJobDoc };
}

/**
 * `uploadImportPart`: stores part `index` (base64 of exactly its share of the declared size: every part
 * but the last is `partBytes` long). Writing the same part again leaves the same state, so a client may
 * retry any part; parts may arrive in any order. Only while the import is `uploading`.
 */
export async function uploadImportPart(
  deps: Deps,
  uid: string,
  { importId, index, data }: UploadImportPartRequest,
): Promise<UploadImportPartResponse> {
  const { doc, job } = await readUploading(deps.db, uid, importId);
  if (doc.status !== "uploading") throw failedPrecondition(`importId: import ${importId} is ${doc.status}, no longer taking parts`);
  if (index >= partCount(job))
    throw invalidArgument(`index: a file of ${job.sizeBytes} bytes has ${partCount(job)} parts (0..${partCount(job) - 1})`);
  const bytes = Buffer.from(data, "base64");
  // Node's decoder skips junk silently: re-encoding must give back what was sent (modulo padding).
  if (bytes.toString("base64").replace(/=+$/, "") !== data.replace(/=+$/, "")) throw invalidArgument("data: is not canonical base64");
  const expected = expectedPartSize(job, index);
  if (bytes.length !== expected) throw invalidArgument(`data: part ${index} must be ${expected} bytes, got ${bytes.length}`);
  const part: ImportPartDoc = { index, data: bytes, size: bytes.length, expiresAt: expiresAtFrom(deps.clock()) };
  await partRef(deps.db, uid, importId, index).set(part);
  const received = (await partsCollection(deps.db, uid, importId).count().get()).data().count;
  return { importId, received };
}

/**
 * `startImport`: checks that all `parts` are there and add up to the declared size, then queues the
 * job (`queued`). Idempotent: starting a started import returns its status and enqueues nothing new
 * (the task id is the import's, so even a retry after a lost answer makes one job).
 */
export async function startImport(
  deps: Deps & { queue: ImportQueue },
  uid: string,
  { importId, parts }: StartImportRequest,
): Promise<StartImportResponse> {
  const { db } = deps;
  const snap = await importRef(db, uid, importId).get();
  if (!snap.exists) throw notFound(`importId: no import ${importId}`);
  const current = (snap.data() as ImportDoc).status;
  if (current !== "uploading") {
    if (current === "queued") await deps.queue.enqueue({ uid, importId });
    return { importId, status: current };
  }
  const { job } = await readUploading(db, uid, importId);
  if (parts !== partCount(job)) throw invalidArgument(`parts: a file of ${job.sizeBytes} bytes has ${partCount(job)} parts, not ${parts}`);
  const sizes = await partsCollection(db, uid, importId).select("size").get();
  const received = new Map(sizes.docs.map((part) => [Number(part.id), part.get("size") as number]));
  const missing = Array.from({ length: parts }, (_, i) => i).filter((i) => received.get(i) !== expectedPartSize(job, i));
  if (missing.length > 0)
    throw failedPrecondition(`parts: missing or incomplete parts ${missing.slice(0, 20).join(", ")}`, { missing: missing.slice(0, 200) });

  const status = await db.runTransaction(async (tx) => {
    const fresh = await tx.get(importRef(db, uid, importId));
    const now = (fresh.data() as ImportDoc).status;
    if (now !== "uploading") return now;
    tx.update(importRef(db, uid, importId), { status: "queued", updatedAt: Timestamp.fromDate(deps.clock()) });
    tx.update(jobRef(db, uid, importId), { parts });
    return "queued" as const;
  });
  if (status === "queued") await deps.queue.enqueue({ uid, importId });
  logImportStarted({ uid, importId, parts, status });
  return { importId, status };
}

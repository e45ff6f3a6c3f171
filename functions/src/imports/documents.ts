import { Timestamp, type Firestore } from "firebase-admin/firestore";
import type { ImportCounts, ImportSourceOption, ImportStatus, ImportUnmatched } from "./schemas";

/**
 * The import's Firestore documents, all under `users/{uid}/imports/{importId}`:
 * - the import document itself: exactly the shape docs/API.md gives for imports, what a client follows;
 * - `parts/{index}`: the staged upload, `{ index, data: Bytes, size, expiresAt }`, deleted when the
 *   import ends; `expiresAt` is a TTL field (firestore.indexes.json) so abandoned uploads go too;
 * - `job/state`: the pipeline's own bookkeeping (declared size, part count, the cursor), kept apart
 *   so the client-facing document stays the contract's shape. Also TTL'd by `expiresAt`.
 */
export interface ImportDoc {
  fileName: string;
  source: ImportSourceOption;
  status: ImportStatus;
  progress: { processed: number; total: number };
  counts: ImportCounts;
  unmatched: ImportUnmatched[];
  error: { code: string; message: string } | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
  finishedAt: Timestamp | null;
}

export interface ImportJobDoc {
  sizeBytes: number;
  partBytes: number;
  /** Set by startImport. */
  parts: number | null;
  /** Operations applied so far, in the pipeline's deterministic order. */
  cursor: number;
  /**
   * Per chunk (keyed by its cursor): how many of its plays already existed when it was first started, by
   * any run (recorded once), and how many attempts started it. A chunk attempted more than once (after a
   * dead run, or by two runs at once: Cloud Tasks delivers at least once) counts as added what exists
   * after it minus `existedBefore`, so every play is counted exactly as one uninterrupted run would.
   */
  chunks: Record<string, { existedBefore: number; attempts: number }>;
  expiresAt: Timestamp;
}

export interface ImportPartDoc {
  index: number;
  data: Buffer;
  size: number;
  expiresAt: Timestamp;
}

/** Staged uploads and job state outlive an abandoned import by this long, then the TTL policy deletes them. */
export const STAGING_TTL_MS = 24 * 60 * 60 * 1000;

export const importsCollection = (db: Firestore, uid: string) => db.collection("users").doc(uid).collection("imports");
export const importRef = (db: Firestore, uid: string, importId: string) => importsCollection(db, uid).doc(importId);
export const jobRef = (db: Firestore, uid: string, importId: string) => importRef(db, uid, importId).collection("job").doc("state");
export const partsCollection = (db: Firestore, uid: string, importId: string) => importRef(db, uid, importId).collection("parts");
export const partRef = (db: Firestore, uid: string, importId: string, index: number) =>
  partsCollection(db, uid, importId).doc(String(index));

export const zeroCounts = (): ImportCounts => ({
  added: 0,
  duplicates: 0,
  movies: 0,
  shows: 0,
  ratings: 0,
  watchlist: 0,
  unmatched: 0,
  invalid: 0,
});

export const expiresAtFrom = (now: Date) => Timestamp.fromMillis(now.getTime() + STAGING_TTL_MS);

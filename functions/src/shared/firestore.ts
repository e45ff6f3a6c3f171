import type { DocumentReference, DocumentSnapshot, Firestore } from "firebase-admin/firestore";
import pLimit from "p-limit";

/**
 * Firestore plumbing every domain may use: reading many documents in chunks, and the storage size of a
 * document against Firestore's 1 MiB limit. No collection paths here: each domain owns its own.
 */

/** Documents per `getAll` call, and calls in flight: big enough for few round trips, small enough to stream. */
const READ_CHUNK = 100;
const READ_CONCURRENCY = 4;

export async function getAllChunked(db: Firestore, refs: DocumentReference[]): Promise<DocumentSnapshot[]> {
  const limit = pLimit(READ_CONCURRENCY);
  const chunks: DocumentReference[][] = [];
  for (let i = 0; i < refs.length; i += READ_CHUNK) chunks.push(refs.slice(i, i + READ_CHUNK));
  return (await Promise.all(chunks.map((chunk) => limit(() => db.getAll(...chunk))))).flat();
}

/** Firestore's document size limit, less a margin for the name and index entries. */
export const MAX_DOCUMENT_BYTES = 1_048_576;
const SAFETY_MARGIN_BYTES = 16_384;

/**
 * Firestore's storage size of a value (https://firebase.google.com/docs/firestore/storage-size):
 * strings are UTF-8 bytes + 1, numbers 8, booleans and null 1, timestamps 8, maps the sum of their
 * keys (as strings) and values.
 */
export function storageSize(value: unknown): number {
  if (value === null || value === undefined || typeof value === "boolean") return 1;
  if (typeof value === "string") return Buffer.byteLength(value, "utf8") + 1;
  if (typeof value === "number" || typeof value === "bigint") return 8;
  if (value instanceof Date) return 8;
  if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + storageSize(item), 0);
  if (typeof value === "object") {
    if ("toMillis" in value && typeof (value as { toMillis: unknown }).toMillis === "function") return 8;
    let size = 0;
    for (const [key, item] of Object.entries(value)) size += Buffer.byteLength(key, "utf8") + 1 + storageSize(item);
    return size;
  }
  return 8;
}

/** Would a document of this content still fit under the 1 MiB limit (with a margin)? */
export function fitsDocumentLimit(docPath: string, data: unknown): boolean {
  return Buffer.byteLength(docPath, "utf8") + 16 + storageSize(data) <= MAX_DOCUMENT_BYTES - SAFETY_MARGIN_BYTES;
}

import { doc, onSnapshot, type DocumentData } from "firebase/firestore";
import { importParts } from "../../tools/exports/tvtime";
import type { ClientUser } from "./client";

/** How long the import may take before the test fails instead of hanging (a cold worker on 2 cores). */
const GIVE_UP_MS = 120_000;

/**
 * Follows `users/{uid}/imports/{importId}` with the CLIENT Firestore SDK (so the rules let the owner
 * read it) until it ends; resolves with every state the listener saw.
 */
export function followImport(u: ClientUser, importId: string): Promise<DocumentData[]> {
  const seen: DocumentData[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`import ${importId} did not end within ${GIVE_UP_MS} ms; last state ${JSON.stringify(seen.at(-1))}`));
    }, GIVE_UP_MS);
    const unsubscribe = onSnapshot(
      doc(u.firestore(), "users", u.uid, "imports", importId),
      (snap) => {
        const data = snap.data();
        if (!data) return;
        seen.push(data);
        if (data.status === "done" || data.status === "failed") {
          clearTimeout(timer);
          unsubscribe();
          resolve(seen);
        }
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/** Uploads a file in parts through the typed client, starts it, and follows it to its end. */
export async function importThroughClient(u: ClientUser, fileName: string, bytes: Buffer) {
  const { importId, partBytes } = await u.api.createImport({ fileName, sizeBytes: bytes.length });
  const parts = importParts(bytes, partBytes);
  for (const [index, data] of parts.entries()) await u.api.uploadImportPart({ importId, index, data });
  // The listener goes live before the start, so it sees every state from `queued` on.
  const states = followImport(u, importId);
  const started = await u.api.startImport({ importId, parts: parts.length });
  if (started.status !== "queued") throw new Error(`startImport answered ${JSON.stringify(started)}`);
  return { importId, parts: parts.length, states: await states };
}

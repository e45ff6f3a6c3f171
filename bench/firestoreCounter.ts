import type { Readable } from "node:stream";
import type { Firestore } from "firebase-admin/firestore";

/** Document reads and writes as Firestore bills them, seen by one client. */
export interface FirestoreCounts {
  /** Every billed read, listeners' included. */
  reads: number;
  writes: number;
  /** The part of `reads` delivered to listeners (`onSnapshot`: the lock waits of the cache engine). */
  listenReads: number;
}

/**
 * The two methods every RPC of the Node Firestore SDK goes through (`@google-cloud/firestore`'s
 * `Firestore.request` / `requestStream`, internal but stable across v4..v7).
 */
interface RpcFunnel {
  request(method: string, request: unknown, tag: string, retryCodes?: number[]): Promise<unknown>;
  requestStream(method: string, bidirectional: boolean, request: unknown, tag: string): Promise<Readable>;
}

const lengthOf = (request: unknown, field: "writes" | "documents"): number => {
  const list = (request as Record<string, unknown> | null)?.[field];
  return Array.isArray(list) ? list.length : 0;
};

/**
 * Counts billed reads and writes on one Firestore instance, at the RPC boundary: whatever the
 * business code uses (refs, snapshots' `.ref`, `getAll`, queries, batches, transactions,
 * preconditioned updates), every document it touches crosses here. Rules, as billed:
 * - `commit` / `batchWrite`: one write per document write in a commit that succeeded (a lock
 *   `create()` that loses the race is rejected, and not billed);
 * - `batchGetDocuments`: one read per requested document, found or missing;
 * - `runQuery`: one read per returned document, one for an empty result;
 * - `listen` (`onSnapshot`): one read per document the listener receives (its first snapshot and every
 *   change), one for a first snapshot without any document.
 * Bench only: the functions never see this wrapper.
 */
export function countFirestore(db: Firestore): { counts: () => FirestoreCounts } {
  const funnel = db as unknown as RpcFunnel;
  if (typeof funnel.request !== "function" || typeof funnel.requestStream !== "function") {
    throw new Error("bench: the Firestore SDK no longer exposes request/requestStream; update bench/firestoreCounter.ts");
  }
  const totals: FirestoreCounts = { reads: 0, writes: 0, listenReads: 0 };
  const request = funnel.request.bind(funnel);
  const requestStream = funnel.requestStream.bind(funnel);

  funnel.request = async (method, body, tag, retryCodes) => {
    const response = await request(method, body, tag, retryCodes);
    if (method === "commit" || method === "batchWrite") totals.writes += lengthOf(body, "writes");
    return response;
  };
  funnel.requestStream = async (method, bidirectional, body, tag) => {
    if (method === "batchGetDocuments") totals.reads += lengthOf(body, "documents");
    const stream = await requestStream(method, bidirectional, body, tag);
    if (method === "runQuery" || method === "runAggregationQuery") {
      // Counted as the results flow, without attaching a listener (that would start the stream).
      let returned = 0;
      const emit = stream.emit.bind(stream);
      stream.emit = ((event: string | symbol, ...args: unknown[]) => {
        const chunk = args[0] as { document?: unknown; result?: unknown } | undefined;
        if (event === "data" && (chunk?.document || chunk?.result)) returned++;
        if (event === "end") totals.reads += Math.max(1, returned);
        return emit(event, ...args);
      }) as Readable["emit"];
    }
    if (method === "listen") countListen(stream, totals);
    return stream;
  };
  return { counts: () => ({ ...totals }) };
}

/** Billed reads of one listen stream, counted as its responses flow (wrapping `emit`, as for queries). */
function countListen(stream: Readable, totals: FirestoreCounts): void {
  let documentsBeforeCurrent = 0;
  let current = false;
  const read = () => {
    totals.reads++;
    totals.listenReads++;
  };
  const emit = stream.emit.bind(stream);
  stream.emit = ((event: string | symbol, ...args: unknown[]) => {
    const response = args[0] as { documentChange?: { targetIds?: number[] }; targetChange?: { targetChangeType?: string } } | undefined;
    if (event === "data" && response?.documentChange && (response.documentChange.targetIds ?? []).length > 0) {
      read();
      if (!current) documentsBeforeCurrent++;
    }
    if (event === "data" && response?.targetChange?.targetChangeType === "CURRENT" && !current) {
      current = true;
      if (documentsBeforeCurrent === 0) read();
    }
    return emit(event, ...args);
  }) as Readable["emit"];
}

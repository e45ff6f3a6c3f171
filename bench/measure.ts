import type { FakeTmdbControl } from "../tools/fake-tmdb/control";
import type { FirestoreCounts } from "./firestoreCounter";

export interface Measurement {
  /** HTTP requests the fake TMDB received (429s and retries included). */
  tmdbRequests: number;
  firestoreReads: number;
  /** The part of `firestoreReads` delivered to lock-wait listeners. */
  firestoreListenReads: number;
  firestoreWrites: number;
  wallMs: number;
  /** Peaks of the bench process, which hosts the function logic, sampled every 20 ms. */
  peakRssMb: number;
  peakHeapMb: number;
}

const SAMPLE_MS = 20;
const mb = (bytes: number) => Math.round((bytes / 1_048_576) * 10) / 10;
const gc = (globalThis as { gc?: () => void }).gc;

/** Runs `work` once and measures it; everything else in the bench runs outside these windows. */
export async function measure<T>(
  tmdb: FakeTmdbControl,
  firestore: () => FirestoreCounts,
  work: () => Promise<T>,
): Promise<{ value: T; measurement: Measurement }> {
  // Start every scenario from a collected heap, so one scenario's garbage is not the next one's peak.
  gc?.();
  const before = { tmdb: (await tmdb.stats()).total, firestore: firestore() };
  let peakRss = process.memoryUsage.rss();
  let peakHeap = process.memoryUsage().heapUsed;
  const sample = () => {
    const usage = process.memoryUsage();
    peakRss = Math.max(peakRss, usage.rss);
    peakHeap = Math.max(peakHeap, usage.heapUsed);
  };
  const sampler = setInterval(sample, SAMPLE_MS);
  const started = performance.now();
  try {
    const value = await work();
    const wallMs = performance.now() - started;
    sample();
    const after = { tmdb: (await tmdb.stats()).total, firestore: firestore() };
    return {
      value,
      measurement: {
        tmdbRequests: after.tmdb - before.tmdb,
        firestoreReads: after.firestore.reads - before.firestore.reads,
        firestoreListenReads: after.firestore.listenReads - before.firestore.listenReads,
        firestoreWrites: after.firestore.writes - before.firestore.writes,
        wallMs: Math.round(wallMs),
        peakRssMb: mb(peakRss),
        peakHeapMb: mb(peakHeap),
      },
    };
  } finally {
    clearInterval(sampler);
  }
}

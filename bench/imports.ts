import type { Firestore } from "firebase-admin/firestore";
import { createAppContext } from "../functions/src/shared/app";
import { DEFAULT_CONFIG } from "../functions/src/shared/config";
import { importRef, type ImportDoc } from "../functions/src/imports/documents";
import { runImport, type ImportDeps } from "../functions/src/imports/pipeline";
import { InMemoryImportQueue } from "../functions/src/imports/queue";
import { createImport, startImport, uploadImportPart } from "../functions/src/imports/upload";
import { TmdbClient } from "../functions/src/tmdb/client";
import type { FakeTmdbControl } from "../tools/fake-tmdb/control";
import { importParts, tvTimeExport, type SyntheticShow } from "../tools/exports/tvtime";
import { traktWatchedShowsExport } from "../tools/exports/traktWatchedShows";
import type { FirestoreCounts } from "./firestoreCounter";
import { measure, type Measurement } from "./measure";

/**
 * Issue 14's benchmark: a 30,000-play synthetic TV Time GDPR export (300 shows: 90 episodes seen and
 * 10 rewatched each) uploaded in parts and imported through the pipeline (the code the importTasks
 * worker runs), against a cold `/find` cache; then the same file a second time (0 added). Reports wall
 * time, TMDB requests against the bound (one per distinct TVDB id not already cached), Firestore reads
 * and writes per play, the process's peak memory, and (issue 22) the slowest chunk against the first:
 * a ratio near 1 means a chunk's cost does not grow with the history already imported.
 *
 * Issue 22's large file (`--only=imports-large`): a generated Trakt `watched-shows.json` of a real heavy
 * user's shape (861 shows, 26,465 episodes, 64,552 plays, 6 resets; tools/exports/traktWatchedShows.ts).
 */
export interface ImportsBenchDeps {
  fake: { url: string; control: FakeTmdbControl };
  /** The counted Firestore the function logic uses. */
  db: Firestore;
  firestoreCounts: () => FirestoreCounts;
  /** TMDB's rate as the bench's fake enforces it: the client spaces its requests to stay under it. */
  requestsPerSecond: number;
  uid: string;
  phase: (text: string) => void;
  phaseDone: (detail?: string) => void;
}

export interface ImportsBenchRow {
  file: string;
  run: "first import (cold /find cache)" | "same file again";
  plays: number;
  added: number;
  duplicates: number;
  tmdbRequests: number;
  tmdbBound: number;
  readsPerPlay: number;
  writesPerPlay: number;
  chunks: number;
  firstChunkMs: number;
  slowestChunkMs: number;
  measurement: Measurement;
}

const SHOWS = 300;
const FIRST_SHOW_ID = 7_700_001;
const SEASONS = 4;
const EPISODES_PER_SEASON = 25;
const SEEN_PER_SHOW = 90;
const REWATCHED_PER_SHOW = 10;

function syntheticShows(): SyntheticShow[] {
  return Array.from({ length: SHOWS }, (_, i) => {
    const episodes = Array.from({ length: SEEN_PER_SHOW }, (_, k): [number, number] => [
      1 + Math.floor(k / EPISODES_PER_SEASON),
      1 + (k % EPISODES_PER_SEASON),
    ]);
    return {
      showId: FIRST_SHOW_ID + i,
      name: `Bench import show ${i + 1}`,
      watched: episodes,
      rewatched: episodes.slice(0, REWATCHED_PER_SHOW).map(([s, e]): [number, number, number] => [s, e, 1]),
      archived: i % 10 === 0,
    };
  });
}

export async function importsBench(deps: ImportsBenchDeps): Promise<ImportsBenchRow[]> {
  const shows = syntheticShows();
  deps.phase(`registering ${SHOWS} shows (${SEASONS} × ${EPISODES_PER_SEASON} episodes) and building the export`);
  for (const show of shows) {
    await deps.fake.control.setShow(show.showId, {
      name: show.name,
      seasons: Array.from({ length: SEASONS }, (_, s) => ({ episodes: EPISODES_PER_SEASON, airDate: `${2001 + s}-01-01` })),
    });
  }
  const { zip, plays, tvdbIds } = tvTimeExport(shows);
  deps.phaseDone(
    `${plays.toLocaleString("en-US")} plays, ${tvdbIds.toLocaleString("en-US")} distinct TVDB ids, ${(zip.length / 1_048_576).toFixed(1)} MB ZIP`,
  );
  return importTwice(deps, { label: "30,000-play TV Time export", fileName: "tvtime-export.zip", bytes: zip, plays, tmdbBound: tvdbIds });
}

const LARGE_FIRST_SHOW_ID = 8_200_001;

/** Issue 22: the generated 64,552-play Trakt `watched-shows.json`, imported, then imported again. */
export async function importsLargeBench(deps: ImportsBenchDeps): Promise<ImportsBenchRow[]> {
  deps.phase("building a watched-shows.json of a heavy Trakt user's shape and registering its shows");
  const file = traktWatchedShowsExport({ firstShowId: LARGE_FIRST_SHOW_ID });
  for (const show of file.shows) await deps.fake.control.setShow(show.showId, show.spec);
  const bytes = Buffer.from(file.json, "utf8");
  deps.phaseDone(
    `${file.shows.length} shows, ${file.episodes.toLocaleString("en-US")} episodes, ${file.plays.toLocaleString("en-US")} plays, ${file.resets} resets, ${(bytes.length / 1_048_576).toFixed(1)} MB`,
  );
  return importTwice(deps, {
    label: "64,552-play Trakt watched-shows.json",
    fileName: "watched-shows.json",
    bytes,
    plays: file.plays,
    tmdbBound: 0,
  });
}

interface BenchFile {
  label: string;
  fileName: string;
  bytes: Buffer;
  plays: number;
  tmdbBound: number;
}

async function importTwice(deps: ImportsBenchDeps, file: BenchFile): Promise<ImportsBenchRow[]> {
  const { plays } = file;
  const rows: ImportsBenchRow[] = [];
  for (const run of ["first import (cold /find cache)", "same file again"] as const) {
    deps.phase(`import: ${run}`);
    const findsBefore = (await deps.fake.control.requests("/find/")).length;
    const chunkMs: number[] = [];
    const importDeps: ImportDeps = {
      ...createAppContext({
        db: deps.db,
        // Two under the fake's limit per window, as the default (38 of 40): about 36 requests/s in the long run.
        tmdb: new TmdbClient({ baseUrl: deps.fake.url, credential: "fake-tmdb-key", maxRequestsPerSecond: deps.requestsPerSecond - 2 }),
        config: DEFAULT_CONFIG,
      }),
      queue: new InMemoryImportQueue(),
      onChunk: ({ durationMs }) => chunkMs.push(durationMs),
    };
    const { value: doc, measurement } = await measure(deps.fake.control, deps.firestoreCounts, async () => {
      const { importId, partBytes } = await createImport(importDeps, deps.uid, { fileName: file.fileName, sizeBytes: file.bytes.length });
      const parts = importParts(file.bytes, partBytes);
      for (const [index, data] of parts.entries()) await uploadImportPart(importDeps, deps.uid, { importId, index, data });
      await startImport(importDeps, deps.uid, { importId, parts: parts.length });
      const queue = importDeps.queue as InMemoryImportQueue;
      // The worker's loop: a run that reaches its time budget enqueues its continuation.
      for (let task = queue.tasks.shift(); task; task = queue.tasks.shift()) await runImport(importDeps, task);
      return (await importRef(deps.db, deps.uid, importId).get()).data() as ImportDoc;
    });
    const finds = (await deps.fake.control.requests("/find/")).length - findsBefore;
    if (doc.status !== "done") throw new Error(`bench import ${run} ended ${doc.status}: ${doc.error?.message}`);
    const perPlay = (n: number) => Math.round((n / plays) * 100) / 100;
    rows.push({
      file: file.label,
      run,
      plays,
      added: doc.counts.added,
      duplicates: doc.counts.duplicates,
      tmdbRequests: measurement.tmdbRequests,
      tmdbBound: run === "same file again" ? 0 : file.tmdbBound,
      readsPerPlay: perPlay(measurement.firestoreReads),
      writesPerPlay: perPlay(measurement.firestoreWrites),
      chunks: chunkMs.length,
      firstChunkMs: chunkMs[0] ?? 0,
      slowestChunkMs: Math.max(0, ...chunkMs),
      measurement,
    });
    deps.phaseDone(
      `${doc.counts.added} added, ${doc.counts.duplicates} duplicates, ${finds} /find requests, chunks ${chunkMs[0] ?? 0} ms first, ${Math.max(0, ...chunkMs)} ms slowest`,
    );
  }
  return rows;
}

export function importsTable(rows: ImportsBenchRow[]): string {
  const header =
    "| file | import | added | duplicates | wall s | TMDB requests (bound) | reads/play | writes/play | chunks | first chunk ms | slowest chunk ms (× first) | peak RSS MB | peak heap MB |";
  const lines = rows.map(
    (r) =>
      `| ${r.file} | ${r.run} | ${r.added} | ${r.duplicates} | ${(r.measurement.wallMs / 1000).toFixed(1)} | ${r.tmdbRequests} (≤ ${r.tmdbBound}) | ${r.readsPerPlay} | ${r.writesPerPlay} | ${r.chunks} | ${r.firstChunkMs} | ${r.slowestChunkMs} (× ${r.firstChunkMs ? (r.slowestChunkMs / r.firstChunkMs).toFixed(2) : "-"}) | ${r.measurement.peakRssMb} | ${r.measurement.peakHeapMb} |`,
  );
  return [header, "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |", ...lines].join("\n");
}

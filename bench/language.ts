/**
 * Issue 26's rows (`npm run bench -- --only=language`): names in French through the global names cache.
 * - 100 cold shows in French: `enrichLibrary` for a French user whose 100 shows are in no cache yet (the
 *   §1 seasons and the French names both cold): TMDB requests, and how many of them are French (bound: one
 *   per show, as in the default language), wall time;
 * - a second French user with the same library: 0 TMDB requests;
 * - a language switch on a 300-show library already enriched in English: `setPreferences` to French, then
 *   its background pages run to the end (in memory, as Cloud Tasks would): TMDB requests, Firestore reads
 *   and writes, wall time.
 */
import { Timestamp, type Firestore } from "firebase-admin/firestore";
import type { AppContext } from "../functions/src/shared/app";
import { enrichLibrary } from "../functions/src/enrichment/enrichLibrary";
import { preferencesRef } from "../functions/src/language/preferences";
import { runNamesTask, type NamesQueue, type NamesTask } from "../functions/src/language/reenrichNames";
import { setPreferences } from "../functions/src/language/setPreferences";
import { trackingRef } from "../functions/src/tracking/trackingDoc";
import type { FakeTmdbControl } from "../tools/fake-tmdb/control";
import type { FirestoreCounts } from "./firestoreCounter";
import { measure } from "./measure";

export interface LanguageBenchDeps {
  fake: { control: FakeTmdbControl };
  seedDb: Firestore;
  firestoreCounts: () => FirestoreCounts;
  instance: () => AppContext;
  uid: (name: string) => string;
  phase: (text: string) => void;
  phaseDone: (detail?: string) => void;
}

export interface LanguageBenchRow {
  row: string;
  shows: number;
  tmdbRequests: number;
  frenchRequests: number;
  firestoreReads: number;
  firestoreWrites: number;
  wallMs: number;
}

const COLD_FIRST_ID = 8_000_001;
const SWITCH_FIRST_ID = 8_050_001;

/** A generated show's tracked episodes: one watched in each of its seasons (the catalog's 1 + id % 4). */
function trackedEpisodes(showId: number) {
  const watchedAt = Timestamp.fromMillis(Date.parse("2024-05-01T20:00:00Z"));
  const episodes: Record<string, { watched: boolean; watchedAt: Timestamp; plays?: number }> = {};
  for (let season = 1; season <= 1 + (showId % 4); season++) {
    episodes[`${season}_1`] = { watched: true, plays: 1, watchedAt };
    episodes[`${season}_2`] = { watched: false, watchedAt };
  }
  return episodes;
}

async function seedLibrary(db: Firestore, uid: string, showIds: number[], language: string | null) {
  const writer = db.bulkWriter();
  for (const showId of showIds) void writer.set(trackingRef(db, uid, showId), { showId, episodes: trackedEpisodes(showId) });
  if (language) void writer.set(preferencesRef(db, uid), { language, timeZone: "Europe/Paris", updatedAt: Timestamp.now() });
  await writer.close();
}

class MemoryQueue implements NamesQueue {
  readonly tasks: NamesTask[] = [];
  async enqueue(task: NamesTask) {
    this.tasks.push(task);
    return "enqueued" as const;
  }
}

const frenchCount = async (control: FakeTmdbControl, from: number) =>
  (await control.requests()).slice(from).filter((r) => r.query.language === "fr-FR").length;

export async function languageBench(deps: LanguageBenchDeps): Promise<LanguageBenchRow[]> {
  const rows: LanguageBenchRow[] = [];
  const cold = Array.from({ length: 100 }, (_, i) => COLD_FIRST_ID + i);
  const [first, second] = [deps.uid("language-fr-1"), deps.uid("language-fr-2")];
  deps.phase("seeding two French users with the same 100 shows");
  await seedLibrary(deps.seedDb, first, cold, "fr-FR");
  await seedLibrary(deps.seedDb, second, cold, "fr-FR");
  deps.phaseDone();

  for (const [row, uid] of [
    ["100 cold shows in French", first],
    ["a second French user", second],
  ] as const) {
    deps.phase(`enrichLibrary: ${row}`);
    const logFrom = (await deps.fake.control.requests()).length;
    const ctx = deps.instance();
    const { measurement } = await measure(deps.fake.control, deps.firestoreCounts, () => enrichLibrary(ctx, uid));
    rows.push({ row, shows: cold.length, ...pick(measurement), frenchRequests: await frenchCount(deps.fake.control, logFrom) });
    deps.phaseDone(`${measurement.tmdbRequests} TMDB requests`);
  }

  const library = Array.from({ length: 300 }, (_, i) => SWITCH_FIRST_ID + i);
  const switcher = deps.uid("language-switch");
  deps.phase("seeding a 300-show library enriched in English");
  await seedLibrary(deps.seedDb, switcher, library, null);
  await enrichLibrary(deps.instance(), switcher);
  deps.phaseDone();
  deps.phase("setPreferences fr-FR on 300 shows, background pages to the end");
  const logFrom = (await deps.fake.control.requests()).length;
  const { measurement } = await measure(deps.fake.control, deps.firestoreCounts, async () => {
    const queue = new MemoryQueue();
    await setPreferences(deps.instance(), queue, switcher, { language: "fr-FR" });
    for (let task = queue.tasks.shift(); task; task = queue.tasks.shift()) await runNamesTask(deps.instance(), queue, task);
  });
  rows.push({
    row: "language switch, 300 shows",
    shows: 300,
    ...pick(measurement),
    frenchRequests: await frenchCount(deps.fake.control, logFrom),
  });
  deps.phaseDone(`${measurement.tmdbRequests} TMDB requests`);
  return rows;
}

const pick = (m: { tmdbRequests: number; firestoreReads: number; firestoreWrites: number; wallMs: number }) => ({
  tmdbRequests: m.tmdbRequests,
  firestoreReads: m.firestoreReads,
  firestoreWrites: m.firestoreWrites,
  wallMs: m.wallMs,
});

export function languageTable(rows: LanguageBenchRow[]): string {
  const header = "| names in French | shows | TMDB requests | of them fr-FR | Firestore reads | Firestore writes | wall |";
  const lines = rows.map(
    (r) =>
      `| ${r.row} | ${r.shows} | ${r.tmdbRequests} | ${r.frenchRequests} | ${r.firestoreReads} | ${r.firestoreWrites} | ${(r.wallMs / 1000).toFixed(2)} s |`,
  );
  return [header, "| --- | ---: | ---: | ---: | ---: | ---: | ---: |", ...lines].join("\n");
}

/**
 * Issue 23's rows (CONTRACT §9), called from bench/run.ts (`--only=households`):
 *
 * - watch together: one `markWatched` with `profileIds` for 6 profiles against 6 separate marks of the
 *   same season, each on a cold season (TMDB asked once either way: the cache is global);
 * - a member's library view of another (managed) profile: `getLibrary` with `profileId` (the one
 *   authorisation: 2 reads), and the rules' cost of a client reading that profile's library summary
 *   directly (2 `get()`s: the reader's pointer and the profile document, billed as reads);
 * - `deleteAccount` of an account with 30,000 plays over 300 shows, ratings and reactions, run the way
 *   production runs it (a request's budget, then queue tasks from the saved cursor): wall time, writes,
 *   and the documents left under users/{uid}, counted with listCollections (must be 0).
 */
import { Timestamp, type DocumentReference, type Firestore } from "firebase-admin/firestore";
import type { AppContext } from "../functions/src/shared/app";
import { markWatched, markWatchedTogether } from "../functions/src/history/markWatched";
import { deleteAccountData, runDeletion } from "../functions/src/households/accountDeletion";
import { InMemoryDeletionQueue } from "../functions/src/households/deletionQueue";
import { createHousehold, createProfile } from "../functions/src/households/households";
import { authorizeProfiles } from "../functions/src/households/profileAccess";
import { getLibrary } from "../functions/src/progress/getLibrary";
import { setReaction } from "../functions/src/reactions/toggleReaction";
import type { FakeTmdbControl } from "../tools/fake-tmdb/control";
import type { FirestoreCounts } from "./firestoreCounter";
import { measure } from "./measure";

export interface HouseholdsBenchDeps {
  fake: { control: FakeTmdbControl };
  seedDb: Firestore;
  firestoreCounts: () => FirestoreCounts;
  instance: () => AppContext;
  uid: (name: string) => string;
  phase: (text: string) => void;
  phaseDone: (detail?: string) => void;
}

export interface HouseholdsBenchRow {
  row: string;
  firestoreReads: number;
  firestoreWrites: number;
  tmdbRequests: number;
  wallMs: number;
  note: string;
}

const FIRST_SHOW_ID = 7_900_001;
const PROFILES = 6;
const DELETE_PLAYS = 30_000;
const DELETE_SHOWS = 300;
const DELETE_REACTIONS = 100;
/** As the callable and the task worker run it. */
const REQUEST_BUDGET_MS = 30_000;
const TASK_BUDGET_MS = 240_000;

async function documentsUnder(db: Firestore, uid: string): Promise<number> {
  let total = 0;
  const walk = async (ref: DocumentReference): Promise<void> => {
    if ((await ref.get()).exists) total++;
    for (const collection of await ref.listCollections()) {
      for (const doc of await collection.listDocuments()) await walk(doc);
    }
  };
  await walk(db.collection("users").doc(uid));
  return total;
}

export async function householdsBench(deps: HouseholdsBenchDeps): Promise<HouseholdsBenchRow[]> {
  const rows: HouseholdsBenchRow[] = [];
  const season = { name: "Sofa show", seasons: [{ episodes: 10, airDate: "2020-01-01" }] };
  for (let i = 0; i < 3 + DELETE_SHOWS; i++) await deps.fake.control.setShow(FIRST_SHOW_ID + i, season);

  deps.phase(`watch together: ${PROFILES} profiles in one call vs ${PROFILES} separate marks`);
  const ctx = deps.instance();
  const owner = deps.uid("household-owner");
  await createHousehold(ctx, owner, { name: "Bench" });
  const profiles = [owner];
  for (let i = 1; i < PROFILES; i++) profiles.push((await createProfile(ctx, owner, { name: `P${i}` })).profileId);
  const request = (showId: number) => ({ showId, target: { type: "season" as const, season: 1 } });
  const together = await measure(deps.fake.control, deps.firestoreCounts, async () => {
    await authorizeProfiles(ctx.db, owner, profiles);
    return markWatchedTogether(deps.instance(), profiles, request(FIRST_SHOW_ID));
  });
  rows.push({
    row: `watch together, ${PROFILES} profiles, one call`,
    ...pick(together.measurement),
    note: `${together.value.changed} episodes marked`,
  });
  const separate = await measure(deps.fake.control, deps.firestoreCounts, async () => {
    let changed = 0;
    for (const profileId of profiles) {
      await authorizeProfiles(ctx.db, owner, [profileId]);
      changed += (await markWatched(deps.instance(), profileId, request(FIRST_SHOW_ID + 1))).changed;
    }
    return changed;
  });
  rows.push({ row: `${PROFILES} separate marks`, ...pick(separate.measurement), note: `${separate.value} episodes marked` });
  deps.phaseDone(`${together.measurement.wallMs} ms vs ${separate.measurement.wallMs} ms`);

  deps.phase("a member's library view of a managed profile");
  const kid = profiles[1] as string;
  await getLibrary(deps.instance(), kid); // builds the profile's library summary, as its own use would
  const view = await measure(deps.fake.control, deps.firestoreCounts, async () => {
    await authorizeProfiles(ctx.db, owner, [kid]);
    return getLibrary(deps.instance(), kid);
  });
  rows.push({
    row: "member's getLibrary of a managed profile (profileId)",
    ...pick(view.measurement),
    note: `${view.value.shows.length} show; 2 of the reads authorise the profile`,
  });
  rows.push({
    row: "member's client reads the profile's library summary (rules)",
    firestoreReads: 3,
    firestoreWrites: 0,
    tmdbRequests: 0,
    wallMs: 0,
    note: "analytic: 1 document + the rules' 2 get()s (pointer, profile), once per get or query",
  });
  deps.phaseDone(`${view.measurement.firestoreReads} reads`);

  deps.phase(`deleteAccount: ${DELETE_PLAYS} plays, ${DELETE_SHOWS} shows, ratings, ${DELETE_REACTIONS} reactions`);
  const doomed = deps.uid("delete-account");
  const user = deps.seedDb.collection("users").doc(doomed);
  const at = Timestamp.fromMillis(Date.parse("2024-05-01T20:00:00Z"));
  const writer = deps.seedDb.bulkWriter();
  for (let s = 0; s < DELETE_SHOWS; s++) {
    const showId = FIRST_SHOW_ID + 3 + s;
    const episodes = Object.fromEntries(Array.from({ length: 10 }, (_, e) => [`1_${e + 1}`, { watched: true, watchedAt: at, plays: 10 }]));
    void writer.set(user.collection("episode_tracking").doc(String(showId)), { showId, episodes, lastWatchedAt: at });
    void writer.set(user.collection("ratings").doc(`tv_${showId}`), { rating: 7, ratedAt: at });
  }
  for (let i = 0; i < DELETE_PLAYS; i++) {
    const showId = FIRST_SHOW_ID + 3 + (i % DELETE_SHOWS);
    void writer.set(user.collection("history").doc(`tvtime_${i + 1}`), {
      showId,
      season: 1,
      episode: 1 + (i % 10),
      watchedAt: at,
      source: "tvtime",
      sourceId: String(i + 1),
      action: "watch",
    });
  }
  await writer.close();
  for (let r = 0; r < DELETE_REACTIONS; r++)
    await setReaction(deps.instance(), doomed, { showId: FIRST_SHOW_ID + 3 + r, season: 1, episode: 1, type: "like" });
  const before = await documentsUnder(deps.seedDb, doomed);
  const queue = new InMemoryDeletionQueue();
  const deletion = await measure(deps.fake.control, deps.firestoreCounts, async () => {
    const c = deps.instance();
    await deleteAccountData(c, doomed, { queue, budgetMs: REQUEST_BUDGET_MS });
    for (let i = 0; i < queue.tasks.length; i++) {
      const task = queue.tasks[i];
      if (task) await runDeletion(deps.instance(), task.ownerId, { queue, budgetMs: TASK_BUDGET_MS }, task.step);
    }
  });
  const left = await documentsUnder(deps.seedDb, doomed);
  rows.push({
    row: `deleteAccount, ${DELETE_PLAYS.toLocaleString("en-US")} plays / ${DELETE_SHOWS} shows`,
    ...pick(deletion.measurement),
    note: `${before} documents before, ${left} left; ${queue.tasks.length} queue tasks after the request`,
  });
  deps.phaseDone(`${left} documents left`);
  return rows;
}

const pick = (m: { firestoreReads: number; firestoreWrites: number; tmdbRequests: number; wallMs: number }) => ({
  firestoreReads: m.firestoreReads,
  firestoreWrites: m.firestoreWrites,
  tmdbRequests: m.tmdbRequests,
  wallMs: m.wallMs,
});

export function householdsTable(rows: HouseholdsBenchRow[]): string {
  const header = "| households | Firestore reads | Firestore writes | TMDB requests | wall | note |";
  const lines = rows.map(
    (r) => `| ${r.row} | ${r.firestoreReads} | ${r.firestoreWrites} | ${r.tmdbRequests} | ${(r.wallMs / 1000).toFixed(2)} s | ${r.note} |`,
  );
  return [header, "| --- | ---: | ---: | ---: | ---: | --- |", ...lines].join("\n");
}

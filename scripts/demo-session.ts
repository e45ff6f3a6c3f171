/**
 * `npm start`'s scripted client session (launched by scripts/demo.mjs): the emulators, driven through
 * the Firebase client SDK the way a mobile or web app uses this backend. It runs inside
 * scripts/with-emulators.mjs, which starts the Auth, Firestore and Functions emulators and (without
 * TMDB_API_KEY) the offline fake TMDB. `node --import tsx scripts/demo-session.ts` inside the
 * harness runs it without the launcher.
 *
 *   sign in → sync a Trakt history → enrich → library ("X/Y episodes", up next) → playback → continue watching
 *   → move in from TV Time (a export ZIP uploaded in parts, followed with a Firestore listener)
 *   → friends and a shared episode (two accounts, a direct message read with the episode's details)
 *
 * It calls the backend through the typed client package (client/), as an app would.
 */
import { randomUUID } from "node:crypto";
import { createConnection } from "node:net";
import type { Writable } from "node:stream";
import { deleteApp, initializeApp } from "firebase/app";
import { connectAuthEmulator, createUserWithEmailAndPassword, getAuth, signInAnonymously } from "firebase/auth";
import { connectFirestoreEmulator, doc, getDoc, getFirestore, onSnapshot, type Firestore } from "firebase/firestore";
import { connectFunctionsEmulator, getFunctions } from "firebase/functions";
import {
  createTvTrackerClient,
  type EnrichShowResponse,
  type ShowProgress,
  type TraktHistoryItem,
  type TvTrackerClient,
} from "@tvtracker/client";
import { FakeTmdbControl } from "../tools/fake-tmdb/control";
import type { ShowSpec } from "../tools/fake-tmdb/server";
import { importParts, tvTimeExport, type SyntheticShow } from "../tools/exports/tvtime";

const offset = Number(process.env.EMULATOR_PORT_OFFSET ?? 0);
const projectId = process.env.GCLOUD_PROJECT ?? "demo-tvtracker";
const fakeTmdbUrl = process.env.FAKE_TMDB_URL;
const SYNC_BATCH = 100;

// ------------------------------------------------------------------------------- the sample

interface SampleShow {
  tmdbId: number;
  title: string;
  year: number;
  /** Episodes per season, as TMDB lists them (used for the offline fake). */
  seasons: number[];
  firstAirDate: string;
  /** How far this viewer got: every episode before (season, episode) is watched. */
  watchedUpTo: { season: number; episode: number };
  /** The real title of that next episode, for the offline fake (which otherwise names it "S3E6 of …"). */
  upNextTitle: string;
}

/** Real TMDB ids, so the same session works against the real TMDB with TMDB_API_KEY set. */
const SAMPLE: SampleShow[] = [
  {
    tmdbId: 1399,
    title: "Game of Thrones",
    year: 2011,
    seasons: [10, 10, 10, 10, 10, 10, 7, 6],
    firstAirDate: "2011-04-17",
    watchedUpTo: { season: 8, episode: 4 },
    upNextTitle: "The Last of the Starks",
  },
  {
    tmdbId: 1396,
    title: "Breaking Bad",
    year: 2008,
    seasons: [7, 13, 13, 13, 16],
    firstAirDate: "2008-01-20",
    watchedUpTo: { season: 3, episode: 6 },
    upNextTitle: "Sunset",
  },
  {
    tmdbId: 1668,
    title: "Friends",
    year: 1994,
    seasons: [24, 24, 25, 24, 24, 25, 24, 24, 24, 18],
    firstAirDate: "1994-09-22",
    watchedUpTo: { season: 3, episode: 1 },
    upNextTitle: "The One with the Princess Leia Fantasy",
  },
  {
    tmdbId: 66732,
    title: "Stranger Things",
    year: 2016,
    seasons: [8, 9, 8, 9],
    firstAirDate: "2016-07-15",
    watchedUpTo: { season: 4, episode: 1 },
    upNextTitle: "Chapter One: The Hellfire Club",
  },
  {
    tmdbId: 100088,
    title: "The Last of Us",
    year: 2023,
    seasons: [9, 7],
    firstAirDate: "2023-01-15",
    watchedUpTo: { season: 2, episode: 1 },
    upNextTitle: "Future Days",
  },
];

/** The shows as the offline fake TMDB should describe them (weekly episodes, a season a year). */
function fakeSpec(show: SampleShow): ShowSpec {
  const start = Date.parse(`${show.firstAirDate}T00:00:00Z`);
  return {
    name: show.title,
    seasons: show.seasons.map((episodes, i) => ({
      episodes,
      airDate: new Date(start + i * 365 * 86_400_000).toISOString().slice(0, 10),
      intervalDays: 7,
      names:
        i + 1 === show.watchedUpTo.season
          ? Array.from({ length: episodes }, (_, e) => (e + 1 === show.watchedUpTo.episode ? show.upNextTitle : null))
          : undefined,
    })),
  };
}

/** A Trakt `GET /sync/history` export of the sample: one play per watched episode, plus what a real export holds besides. */
function traktHistory(): TraktHistoryItem[] {
  const items: TraktHistoryItem[] = [];
  let id = 9_007_199_254_740_993n; // above 2^53: Trakt ids travel as exact decimal strings
  let watchedAt = Date.parse("2024-01-06T21:00:00Z");
  for (const show of SAMPLE) {
    for (let s = 1; s <= show.seasons.length; s++) {
      for (let e = 1; e <= show.seasons[s - 1]; e++) {
        if (s > show.watchedUpTo.season || (s === show.watchedUpTo.season && e >= show.watchedUpTo.episode)) continue;
        items.push({
          id: String(id++),
          watched_at: new Date((watchedAt += 3_600_000)).toISOString(),
          action: "watch",
          type: "episode",
          episode: { season: s, number: e, ids: {} },
          show: { title: show.title, year: show.year, ids: { tmdb: show.tmdbId } },
        });
      }
    }
  }
  // A movie (recorded as a movie play) and an episode Trakt could not match to TMDB.
  items.push({
    id: String(id++),
    watched_at: new Date(watchedAt).toISOString(),
    action: "watch",
    type: "movie",
    movie: { title: "Inception", year: 2010, ids: { tmdb: 27205 } },
  });
  items.push({
    id: String(id++),
    watched_at: new Date(watchedAt).toISOString(),
    action: "watch",
    type: "episode",
    episode: { season: 1, number: 1, ids: {} },
    show: { title: "A Local Broadcast", ids: {} },
  });
  return items;
}

/**
 * A TV Time GDPR export of three more shows (seen episodes, a rewatch, an archived show). Its episode
 * ids are TVDB ids in the offline fake's convention, so this step needs the fake TMDB.
 */
const TV_TIME_SHOWS: Array<SyntheticShow & { seasons: number[] }> = [
  { showId: 2316, name: "The Office", seasons: [6, 22], watched: [...range(1, 6), ...range(2, 10)], rewatched: [[1, 2, 1]] },
  { showId: 95396, name: "Severance", seasons: [9, 10], watched: [...range(1, 9), ...range(2, 3)], rewatched: [[1, 1, 2]] },
  { showId: 70523, name: "Dark", seasons: [10, 8, 8], watched: range(1, 10), archived: true },
];

function range(season: number, episodes: number): Array<[number, number]> {
  return Array.from({ length: episodes }, (_, i) => [season, i + 1]);
}

// -------------------------------------------------------------------------------- terminal

/** The launcher's socket when there is one (firebase-tools' own output would bury ours), else stdout. */
const out: Writable = process.env.DEMO_OUTPUT_SOCKET ? createConnection(process.env.DEMO_OUTPUT_SOCKET) : process.stdout;
out.on("error", (error) => {
  process.stderr.write(`demo: lost the launcher's output socket: ${error.message}\n`);
  process.exit(1);
});
const tty = process.env.DEMO_TTY ? process.env.DEMO_TTY === "1" : process.stdout.isTTY === true;
const write = (text: string) => void out.write(text);
const say = (text = "") => write(`${text}\n`);
const dim = (text: string) => (tty ? `\x1b[2m${text}\x1b[0m` : text);
const bold = (text: string) => (tty ? `\x1b[1m${text}\x1b[0m` : text);
const bar = (fraction: number, width = 20) => {
  const full = Math.round(Math.max(0, Math.min(1, fraction)) * width);
  return "█".repeat(full) + "░".repeat(width - full);
};
const episodeCode = (season: number, episode: number) => `S${String(season).padStart(2, "0")}E${String(episode).padStart(2, "0")}`;

/** A progress line redrawn in place on a terminal; only its last state in a log. */
function progress(label: string, total: number) {
  const started = Date.now();
  /** A total learnt later (an import's, once its file is read). */
  const setTotal = (value: number) => void (total = value);
  const draw = (done: number, detail = "") => {
    const line = `  ${label} ${bar(total ? done / total : 1)} ${done}/${total} ${detail}`.trimEnd();
    if (tty) write(`\r\x1b[2K${line}`);
    return line;
  };
  draw(0);
  return {
    setTotal,
    update: (done: number, detail?: string) => void draw(done, detail),
    finish: (detail: string) => {
      const line = draw(total, `${detail} ${dim(`(${((Date.now() - started) / 1000).toFixed(1)} s)`)}`);
      write(tty ? "\n" : `${line}\n`);
    },
  };
}

/** A spinner for one long call. */
async function spin<T>(label: string, work: Promise<T>): Promise<T> {
  const frames = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏";
  const started = Date.now();
  let frame = 0;
  const timer = tty
    ? setInterval(
        () => write(`\r\x1b[2K  ${frames[frame++ % frames.length]} ${label} ${((Date.now() - started) / 1000).toFixed(1)} s`),
        100,
      )
    : undefined;
  try {
    return await work;
  } finally {
    clearInterval(timer);
    if (tty) write("\r\x1b[2K");
  }
}

// ---------------------------------------------------------------------------------- session

async function main(): Promise<void> {
  const started = Date.now();
  const fake = fakeTmdbUrl ? new FakeTmdbControl(fakeTmdbUrl) : undefined;
  say();
  say(bold("TV tracker — a scripted client session against the emulators"));
  say(
    dim(
      `  project ${projectId} · Auth :${9099 + offset} · Functions :${5001 + offset} · Firestore :${8080 + offset} · TMDB: ${fake ? `offline fake (${fakeTmdbUrl})` : "the real TMDB (TMDB_API_KEY)"}`,
    ),
  );
  if (fake) for (const show of SAMPLE) await fake.setShow(show.tmdbId, fakeSpec(show));

  const app = initializeApp({ projectId, apiKey: "demo-api-key", authDomain: `${projectId}.firebaseapp.com` }, randomUUID());
  const auth = getAuth(app);
  connectAuthEmulator(auth, `http://127.0.0.1:${9099 + offset}`, { disableWarnings: true });
  const functions = getFunctions(app, "us-central1");
  connectFunctionsEmulator(functions, "127.0.0.1", 5001 + offset);
  connectFirestoreEmulator(getFirestore(app), "127.0.0.1", 8080 + offset);
  // The app's view of the backend: the typed client package (client/), as a web or mobile app uses it.
  const api = createTvTrackerClient(functions, { timeoutMs: 150_000 });

  try {
    say();
    say(bold("1. Sign in"));
    // `npm start` in a terminal: the demo user the web app then signs in as (scripts/demo.mjs sets it).
    const demoEmail = process.env.DEMO_USER_EMAIL;
    const { user } = demoEmail
      ? await createUserWithEmailAndPassword(auth, demoEmail, process.env.DEMO_USER_PASSWORD ?? "")
      : await signInAnonymously(auth);
    say(`  signed in ${demoEmail ? `as ${demoEmail}` : "anonymously"} to the Auth emulator as ${user.uid}`);

    say();
    say(bold("2. Sync a Trakt history"));
    const history = traktHistory();
    say(`  ${history.length} plays from a Trakt export: ${SAMPLE.length} shows, a movie and an episode Trakt could not match`);
    await syncHistory(api, history);

    say();
    say(bold("3. Enrich with TMDB episode names and air dates"));
    await enrich(api);

    say();
    say(bold("4. Library"));
    const library = await showLibrary(api);

    say();
    say(bold("5. Playback and continue watching"));
    await playback(api, library);

    say();
    say(bold("6. Move in from TV Time"));
    if (fake) await moveInFromTvTime(api, getFirestore(app), user.uid, fake);
    else say(dim("  skipped: the synthetic export's TVDB ids follow the offline fake's conventions (run without TMDB_API_KEY)"));

    say();
    say(bold("7. A household"));
    await household(api, user.uid, library);
    say(bold("8. Friends and a shared episode"));
    await friendsAndMessages(api, getFirestore(app), user.uid);

    say();
    say(bold("9. A French profile (issue 26)"));
    await frenchProfile(api);

    say();
    say(bold("Summary"));
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const tmdb = fake ? ` · ${(await fake.stats()).total} requests to the fake TMDB` : "";
    say(`  ${SAMPLE.length} shows, ${history.length} plays synced, enriched through the global season cache · ${seconds} s${tmdb}`);
    const watched = library.reduce((n, s) => n + s.completed, 0);
    const aired = library.reduce((n, s) => n + (s.aired ?? 0), 0);
    say(
      `  ${watched}/${aired} aired episodes watched across the library; ${library.filter((s) => s.nextEpisode).length} shows have an episode up next`,
    );
    say(dim("  Next: `npm test` runs every suite; `npm run bench` measures the season cache against per-episode calls."));
  } finally {
    await deleteApp(app);
  }
}

/**
 * CONTRACT §9: a household with a managed profile (a child with no login) that keeps its own progress,
 * and one episode watched together, marked on both profiles with one call.
 */
async function household(api: TvTrackerClient, uid: string, library: ShowProgress[]): Promise<void> {
  const { householdId } = await api.createHousehold({ name: "Living room" });
  const { profileId } = await api.createProfile({ name: "Sam" });
  say(`  household ${householdId}: you and Sam, a managed profile with no login (${profileId})`);
  const show = library.find((s) => s.nextEpisode) ?? library[0];
  if (!show) return;
  const name = show.name ?? String(show.showId);
  // Sam has seen the first season on their own: it lands on Sam's profile only.
  await api.markWatched({ showId: show.showId, target: { type: "season", season: 1 }, profileId });
  const next = show.nextEpisode ?? { season: 1, episode: 1 };
  const together = await api.markWatched({
    showId: show.showId,
    target: { type: "episodes", episodes: [{ season: next.season, episode: next.episode }] },
    profileIds: [uid, profileId],
  });
  const changed = (together.profiles ?? []).map((p) => `${p.profileId === uid ? "you" : "Sam"} +${p.changed}`).join(", ");
  say(`  watched ${name} ${episodeCode(next.season, next.episode)} together: one markWatched for both profiles (${changed})`);
  for (const [who, request] of [
    ["you", { showId: show.showId }],
    ["Sam", { showId: show.showId, profileId }],
  ] as const) {
    const progress = await api.getShowProgress(request);
    const up = progress.nextEpisode ? `up next ${episodeCode(progress.nextEpisode.season, progress.nextEpisode.episode)}` : "caught up";
    say(`  ${who.padEnd(4)} ${name}  ${bar((progress.percent ?? 0) / 100)}  ${progress.label.padEnd(18)}  ${up}`);
  }
}

/** The same library in French, on Paris time: names from the global names cache, the English ones where TMDB has none. */
async function frenchProfile(api: TvTrackerClient): Promise<void> {
  const preferences = await spin("setPreferences", api.setPreferences({ language: "fr-FR", timeZone: "Europe/Paris" }));
  say(`  language ${preferences.language}, time zone ${preferences.timeZone}: names re-enriched, watch state untouched`);
  await showLibrary(api);
}

async function syncHistory(api: TvTrackerClient, history: TraktHistoryItem[]): Promise<void> {
  const bar = progress("syncHistory", history.length);
  const total = { added: 0, duplicates: 0, movies: 0, noTmdbId: 0, invalid: 0 };
  for (let i = 0; i < history.length; i += SYNC_BATCH) {
    const result = await api.syncHistory({ items: history.slice(i, i + SYNC_BATCH) });
    total.added += result.added;
    total.duplicates += result.duplicates;
    total.movies += result.skipped.movies;
    total.noTmdbId += result.skipped.noTmdbId;
    total.invalid += result.skipped.invalid;
    bar.update(Math.min(history.length, i + SYNC_BATCH), `${total.added} added`);
  }
  const movies = total.movies ? `, skipped ${total.movies} movie(s)` : "";
  bar.finish(`${total.added} added, ${total.duplicates} duplicates${movies}, ${total.noTmdbId} without a TMDB id`);
  // Play ids are deterministic: sending the same export again records nothing twice.
  const replay = await api.syncHistory({ items: history.slice(0, SYNC_BATCH) });
  say(`  replaying the first ${SYNC_BATCH} plays: ${replay.added} added, ${replay.duplicates} duplicates`);
}

async function enrich(api: TvTrackerClient): Promise<void> {
  const results: EnrichShowResponse[] = [];
  const bar = progress("enrichShow", SAMPLE.length);
  for (const [i, show] of SAMPLE.entries()) {
    results.push(await api.enrichShow({ showId: show.tmdbId }));
    bar.update(i + 1, show.title);
  }
  const sum = (key: "enriched" | "alreadyEnriched" | "notFound") => results.reduce((n, r) => n + r[key], 0);
  const pending = results.reduce((n, r) => n + r.pendingSeasons.length, 0);
  const done =
    sum("enriched") > 0
      ? `${sum("enriched")} episodes enriched, ${sum("alreadyEnriched")} already were`
      : `all ${sum("alreadyEnriched")} episodes already carry TMDB names and air dates`;
  bar.finish(
    `${done}${sum("notFound") ? `, ${sum("notFound")} unknown to TMDB` : ""}${pending ? `, ${pending} seasons pending (call again shortly)` : ""}`,
  );
}

async function showLibrary(api: TvTrackerClient): Promise<ShowProgress[]> {
  const { shows } = await spin("getLibrary", api.getLibrary());
  const nameWidth = Math.max(...shows.map((s) => (s.name ?? String(s.showId)).length), 4);
  say(dim(`  ${"show".padEnd(nameWidth)}  ${"progress".padEnd(20)}  ${"episodes".padEnd(18)}  up next`));
  for (const show of shows) {
    const next = show.nextEpisode
      ? `${episodeCode(show.nextEpisode.season, show.nextEpisode.episode)}${show.nextEpisode.name ? ` “${show.nextEpisode.name}”` : ""}`
      : "caught up";
    say(`  ${(show.name ?? String(show.showId)).padEnd(nameWidth)}  ${bar((show.percent ?? 0) / 100)}  ${show.label.padEnd(18)}  ${next}`);
  }
  return shows;
}

async function playback(api: TvTrackerClient, library: ShowProgress[]): Promise<void> {
  const upNext = library.filter((s) => s.nextEpisode).slice(0, 2);
  const titleOf = (showId: number) =>
    library.find((s) => s.showId === showId)?.name ?? SAMPLE.find((s) => s.tmdbId === showId)?.title ?? String(showId);
  const targets = upNext.length
    ? upNext.map((s, i) => ({
        showId: s.showId,
        season: s.nextEpisode?.season ?? 1,
        episode: s.nextEpisode?.episode ?? 1,
        position: i === 0 ? 1240 : 310,
      }))
    : [{ showId: SAMPLE[1].tmdbId, season: SAMPLE[1].watchedUpTo.season, episode: SAMPLE[1].watchedUpTo.episode, position: 1240 }];
  for (const t of targets) {
    const doc = await api.savePlayback({
      media: { type: "episode", showId: t.showId, season: t.season, episode: t.episode },
      positionSeconds: t.position,
      durationSeconds: 2820,
    });
    say(
      `  paused ${titleOf(t.showId)} ${episodeCode(t.season, t.episode)} at ${Math.floor(t.position / 60)} min: ${Math.round(doc.completionPercentage)} % watched`,
    );
  }
  const { items } = await api.getContinueWatching({ limit: 10 });
  say(bold("  Continue watching"));
  if (items.length === 0) say("    (nothing in progress)");
  for (const item of items) {
    const what =
      item.media.type === "episode"
        ? `${titleOf(item.media.showId)} ${episodeCode(item.media.season, item.media.episode)}`
        : `movie ${item.media.movieId}`;
    const left = Math.max(0, Math.round((item.durationSeconds - item.positionSeconds) / 60));
    say(`    ${bar(item.completionPercentage / 100, 10)} ${what.padEnd(28)} ${left} min left`);
  }
}

async function moveInFromTvTime(api: TvTrackerClient, firestore: Firestore, uid: string, fake: FakeTmdbControl): Promise<void> {
  for (const show of TV_TIME_SHOWS) {
    await fake.setShow(show.showId, {
      name: show.name,
      seasons: show.seasons.map((episodes, i) => ({ episodes, airDate: `${2005 + 3 * i + (show.showId % 7)}-03-01` })),
    });
  }
  const { zip, plays } = tvTimeExport(TV_TIME_SHOWS, { paddingBytes: 600 * 1024 });
  say(`  tvtime-gdpr-export.zip: ${TV_TIME_SHOWS.length} shows, ${plays} plays (with rewatches), ${(zip.length / 1024).toFixed(0)} KiB`);
  const first = await importFile(api, firestore, uid, "tvtime-gdpr-export.zip", zip);
  const { shows } = await spin("getLibrary", api.getLibrary({ includeHidden: true }));
  const imported = shows.filter((s) => TV_TIME_SHOWS.some((t) => t.showId === s.showId));
  const nameWidth = Math.max(...imported.map((s) => (s.name ?? String(s.showId)).length), 4);
  for (const show of imported) {
    const next = show.nextEpisode ? `up next ${episodeCode(show.nextEpisode.season, show.nextEpisode.episode)}` : "caught up";
    say(
      `  ${(show.name ?? String(show.showId)).padEnd(nameWidth)}  ${bar((show.percent ?? 0) / 100)}  ${show.label.padEnd(18)}  ${show.status.padEnd(8)}  ${next}`,
    );
  }
  const again = await importFile(api, firestore, uid, "tvtime-gdpr-export.zip", zip, true);
  say(`  importing the same file again: ${again.added} added, ${again.duplicates} duplicates (first run: ${first.added} added)`);
}

/**
 * createImport → uploadImportPart × n → startImport, then follows users/{uid}/imports/{importId}
 * with a client Firestore listener while the Cloud Tasks queue runs it, drawing its progress.
 */
async function importFile(
  api: TvTrackerClient,
  firestore: Firestore,
  uid: string,
  fileName: string,
  bytes: Buffer,
  quiet = false,
): Promise<Record<string, number>> {
  const { importId, partBytes } = await api.createImport({ fileName, sizeBytes: bytes.length });
  const parts = importParts(bytes, partBytes);
  const upload = quiet ? undefined : progress("uploadImportPart", parts.length);
  for (const [index, data] of parts.entries()) {
    await api.uploadImportPart({ importId, index, data });
    upload?.update(index + 1);
  }
  upload?.finish(`${parts.length} parts of ${partBytes / 1024} KiB at most`);
  type ImportState = {
    status: string;
    progress: { processed: number; total: number };
    counts: Record<string, number>;
    error: { message: string } | null;
  };
  const meter = quiet ? undefined : progress("import", 0);
  const ended = new Promise<ImportState>((resolve, reject) => {
    const unsubscribe = onSnapshot(
      doc(firestore, "users", uid, "imports", importId),
      (snap) => {
        const data = snap.data() as ImportState | undefined;
        if (!data) return;
        meter?.setTotal(data.progress.total);
        meter?.update(data.progress.processed, data.status);
        if (data.status === "done" || data.status === "failed") {
          unsubscribe();
          resolve(data);
        }
      },
      reject,
    );
  });
  await api.startImport({ importId, parts: parts.length });
  const result = await ended;
  if (result.status !== "done") throw new Error(`the import of ${fileName} failed: ${result.error?.message ?? "?"}`);
  const c = result.counts;
  meter?.finish(`${c.added} plays added, ${c.duplicates} duplicates, ${c.shows} shows, ${c.unmatched} unmatched`);
  return c;
}

/**
 * CONTRACT §10 with two accounts: the viewer and a friend (a second app instance, signed in on its own)
 * become friends by handle; the viewer shares an episode; the friend sees the conversation arrive in
 * their list (a Firestore listener) and reads the message with the episode's name and air date.
 */
async function friendsAndMessages(api: TvTrackerClient, firestore: Firestore, uid: string): Promise<void> {
  const friendApp = initializeApp({ projectId, apiKey: "demo-api-key", authDomain: `${projectId}.firebaseapp.com` }, randomUUID());
  try {
    const friendAuth = getAuth(friendApp);
    connectAuthEmulator(friendAuth, `http://127.0.0.1:${9099 + offset}`, { disableWarnings: true });
    const friendFunctions = getFunctions(friendApp, "us-central1");
    connectFunctionsEmulator(friendFunctions, "127.0.0.1", 5001 + offset);
    const friendDb = getFirestore(friendApp);
    connectFirestoreEmulator(friendDb, "127.0.0.1", 8080 + offset);
    const friendApi = createTvTrackerClient(friendFunctions, { timeoutMs: 150_000 });
    const { user: friend } = await signInAnonymously(friendAuth);

    const suffix = (id: string) =>
      id
        .toLowerCase()
        .replace(/[^a-z0-9]/g, "")
        .slice(0, 6);
    const me = await api.setPublicProfile({ handle: `viewer.${suffix(uid)}`, displayName: "Alex" });
    const sam = await friendApi.setPublicProfile({ handle: `sam_${suffix(friend.uid)}`, displayName: "Sam" });
    const asked = await api.sendFriendRequest({ handle: sam.handle });
    const answered = await friendApi.respondFriendRequest({ uid, accept: true });
    say(`  @${me.handle} asks @${sam.handle}: ${asked.status}; Sam accepts: ${answered.status}`);

    const { conversationId } = await api.openConversation({ uid: friend.uid });
    // Sam's conversation list, live: resolves when the conversation shows an unread message.
    const arrived = new Promise<number>((resolve) => {
      const stop = onSnapshot(doc(friendDb, `users/${friend.uid}/conversations/${conversationId}`), (snap) => {
        const unread = snap.get("unread") as number | undefined;
        if (unread) {
          stop();
          resolve(unread);
        }
      });
    });
    const share = { type: "episode" as const, showId: 1396, season: 3, episode: 6 };
    const request = { conversationId, clientMessageId: randomUUID(), text: "You have to see this one", share };
    const sent = await api.sendMessage(request);
    const retried = await api.sendMessage(request);
    say(
      `  Alex shares Breaking Bad S03E06 (sent twice, as a retry after a lost answer: ${sent.messageId === retried.messageId ? "one message" : "TWO messages"})`,
    );
    say(`  Sam's conversation list updates live: ${await arrived} unread`);
    const { items } = await friendApi.getMessages({ conversationId });
    for (const item of items) {
      const shared = item.shared;
      const what = shared
        ? `${shared.title} ${episodeCode(shared.season ?? 0, shared.episode ?? 0)} “${shared.episodeName}” (aired ${shared.airDate})`
        : "";
      say(`  ${item.sender.displayName}: ${item.text ?? ""}${what ? ` → ${what}` : ""}`);
    }
    const read = await friendApi.markConversationRead({ conversationId });
    // A member reads the conversation straight from Firestore (rules: its two members only).
    const conversation = await getDoc(doc(firestore, `conversations/${conversationId}`));
    const last = conversation.get("lastMessage") as { preview: string } | null;
    say(`  Sam marks it read (unread ${read.unread}); Alex's app shows the conversation's last message: “${last?.preview ?? ""}”`);
  } finally {
    await deleteApp(friendApp);
  }
}

/** Exits once everything written has reached the launcher. */
function exit(code: number): void {
  if (out === process.stdout) process.exit(code);
  out.end(() => process.exit(code));
}

/** The line that tells scripts/demo.mjs the sample data is in (it then serves the web app). */
export const DEMO_READY_LINE = "\u0000demo-ready";

main().then(
  () => {
    // `npm start` in a terminal keeps the emulators up while the web app is open: until Ctrl-C.
    if (process.env.DEMO_SERVE !== "1") return exit(0);
    write(`${DEMO_READY_LINE}\n`);
    setInterval(() => undefined, 1 << 30);
  },
  (error: unknown) => {
    const { code, message } = error as { code?: string; message?: string };
    say(`\ndemo failed${code ? ` (${code})` : ""}: ${message ?? String(error)}`);
    exit(1);
  },
);

/**
 * The bench's scenarios, inside the emulators (run through scripts/with-emulators.mjs by `bench/main.ts`,
 * the entry point of `npm run bench`), with a fake TMDB that answers in 40 ms and enforces TMDB's 40
 * requests/s. Prints a table, writes bench/results.json and bench/results.svg. The flags and scenarios
 * are listed in `bench/options.ts` (`npm run bench -- --help` prints them).
 *
 * A partial run (`--only`) writes bench/results/tmp/results.json and .svg; only a full run replaces bench/results.json.
 */
import { createWriteStream, mkdirSync, writeFileSync, writeSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join, resolve } from "node:path";
import { deleteApp, initializeApp } from "firebase-admin/app";
import { getFirestore, Timestamp, type Firestore } from "firebase-admin/firestore";
import { createAppContext, type AppContext } from "../functions/src/shared/app";
import { seasonRef } from "../functions/src/cache/documents";
import { TvCache, type LoadOptions } from "../functions/src/cache/tvCache";
import { DEFAULT_CONFIG } from "../functions/src/shared/config";
import { enrichLibrary } from "../functions/src/enrichment/enrichLibrary";
import { enrichShow } from "../functions/src/enrichment/enrichShow";
import { AppError } from "../functions/src/shared/errors";
import { TmdbClient } from "../functions/src/tmdb/client";
import { trackingRef } from "../functions/src/tracking/trackingDoc";
import { LONG_SHOW_ID, SOAP_SHOW_ID } from "../tools/fake-tmdb/catalog";
import { startFakeTmdbProcess, type FakeTmdbProcess } from "./fakeTmdbProcess";
import { countFirestore, type FirestoreCounts } from "./firestoreCounter";
import {
  builtInShow,
  coldLibraryShows,
  crowdLibrary,
  episodeCount,
  minimumRequests,
  popularShows,
  seasonCount,
  wholeShow,
  type BenchShow,
  type LibraryShow,
} from "./library";
import { importsBench, importsLargeBench, importsTable, type ImportsBenchRow } from "./imports";
import { calendarBench, calendarTable, type CalendarBenchRow } from "./calendar";
import { householdsBench, householdsTable, type HouseholdsBenchRow } from "./households";
import { socialBench, socialTable, type SocialBenchRow } from "./social";
import { languageBench, languageTable, type LanguageBenchRow } from "./language";
import { measure, type Measurement } from "./measure";
import { naiveEnrichLibrary } from "./naiveEnrichment";
import { markdownTable, svgChart, type ResultRow, type Strategy } from "./report";
import { parseBenchArgs, type Scenario } from "./options";
import { costTable, userDayRow, warmLibraryRows, type CostRow } from "./libraryCost";

const root = resolve(__dirname, "..");
const options = parseBenchArgs(process.argv.slice(2));
const FULL = options.full;
const NO_BASELINES = options.noBaselines;
/** The scenarios named by `--only`, or undefined for a full run. */
const ONLY = options.partial ? options.scenarios : undefined;
const selected = (scenario: Scenario) => options.scenarios.includes(scenario);
const LATENCY_MS = options.latencyMs;
const RATE_LIMIT = options.rateLimitPerSecond;
const CROWD_USERS = 200;
/** A crowd user whose answer lists pending seasons calls again after this, at most MAX_CALLS times. */
const CROWD_RETRY_MS = 1000;
const MAX_CALLS = 20;
const SOAP_SAMPLE = 500;
const COLD_FIRST_ID = 7_100_001;
const PER_SEASON_FIRST_ID = 7_300_001;
const POPULAR_FIRST_ID = 7_200_001;

// --------------------------------------------------------------------------------- output

/** The bench's own output goes straight to the terminal... */
const print = (text = "") => writeSync(1, `${text}\n`);

/**
 * ...while the function logic's structured logs (a line per TMDB request) go to a file: they are
 * the same lines Cloud Logging would get, useful afterwards, noise in a table.
 */
function routeFunctionLogs(path: string): void {
  mkdirSync(join(path, ".."), { recursive: true });
  const file = createWriteStream(path);
  const toFile = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    const done = rest.find((r): r is () => void => typeof r === "function");
    return file.write(chunk, done);
  }) as typeof process.stdout.write;
  process.stdout.write = toFile;
  process.stderr.write = toFile;
}

let phaseStarted = 0;
const phase = (text: string) => {
  phaseStarted = Date.now();
  writeSync(1, `  ${text} ...`);
};
const phaseDone = (detail = "") => print(` ${((Date.now() - phaseStarted) / 1000).toFixed(1)} s${detail ? `  (${detail})` : ""}`);

// ---------------------------------------------------------------------------------- setup

interface Bench {
  fake: FakeTmdbProcess;
  /** Seeding and checks: not counted. */
  seedDb: Firestore;
  /** What the function logic uses: every read and write is counted. */
  db: Firestore;
  firestoreCounts: () => FirestoreCounts;
  close(): Promise<void>;
}

async function setUp(): Promise<Bench> {
  const offset = Number(process.env.EMULATOR_PORT_OFFSET ?? 0);
  process.env.FIRESTORE_EMULATOR_HOST ??= `127.0.0.1:${8080 + offset}`;
  const projectId = process.env.GCLOUD_PROJECT ?? process.env.TEST_PROJECT_ID ?? "demo-tvtracker";
  const seedApp = initializeApp({ projectId }, "bench-seed");
  const functionsApp = initializeApp({ projectId }, "bench-functions");
  const db = getFirestore(functionsApp);
  const counter = countFirestore(db);
  // A warm instance has its Firestore channel open: open it here, so the first scenario does not pay
  // the connection set-up (the cold-start bench measures instance start-up) inside its measurement.
  await db.collection("bench").doc("warm-up").get();
  const fake = await startFakeTmdbProcess(root, { latencyMs: LATENCY_MS, rateLimitPerSecond: RATE_LIMIT });
  return {
    fake,
    seedDb: getFirestore(seedApp),
    db,
    firestoreCounts: counter.counts,
    close: async () => {
      await fake.stop();
      await Promise.all([deleteApp(seedApp), deleteApp(functionsApp)]);
    },
  };
}

/** A function instance: its own TMDB client (limiter, counters) over the shared Firestore. */
function instance(bench: Bench, tmdb?: TmdbClient): AppContext {
  return createAppContext({
    db: bench.db,
    tmdb: tmdb ?? new TmdbClient({ baseUrl: bench.fake.url, credential: "fake-tmdb-key" }),
    config: DEFAULT_CONFIG,
  });
}

/** The classic behaviour the append_to_response change replaced: one TMDB request per season. */
class PerSeasonTvCache extends TvCache {
  override load(showId: number, seasons: number[], options: LoadOptions = {}) {
    return super.load(showId, seasons, { ...options, appendSeasons: false });
  }
}

const WATCHED_AT = Timestamp.fromMillis(Date.parse("2024-05-01T20:00:00Z"));

/** Writes the users' tracking documents (watched episodes, nothing enriched), outside any measurement. */
async function seed(bench: Bench, users: ReadonlyArray<readonly [uid: string, library: LibraryShow[]]>): Promise<void> {
  const writer = bench.seedDb.bulkWriter();
  for (const [user, library] of users) {
    for (const show of library) {
      const episodes: Record<string, { watched: boolean; watchedAt: Timestamp }> = {};
      for (const { season, episode } of show.episodes) episodes[`${season}_${episode}`] = { watched: true, watchedAt: WATCHED_AT };
      // `showId` as every tracking document has it (the nightly job finds a show's followers by it).
      void writer.set(trackingRef(bench.seedDb, user, show.showId), { showId: show.showId, episodes, lastWatchedAt: WATCHED_AT });
    }
  }
  await writer.close();
}

async function registerShows(bench: Bench, shows: BenchShow[]): Promise<void> {
  for (const show of shows) if (show.custom) await bench.fake.control.setShow(show.showId, show.spec);
}

const workloadOf = (library: LibraryShow[][]) => {
  const shows = new Set(library.flat().map((s) => s.showId)).size;
  const episodes = library.reduce((n, l) => n + episodeCount(l), 0);
  const users = library.length > 1 ? `${library.length} users, ` : "";
  return `${users}${shows} shows, ${library.reduce((n, l) => n + seasonCount(l), 0).toLocaleString("en-US")} seasons, ${episodes.toLocaleString("en-US")} episodes`;
};

// ------------------------------------------------------------------------------ scenarios

interface Run {
  strategy: Strategy;
  measurement: Measurement;
  minimumRequests: number;
  note?: string;
}

function rowsOf(scenario: string, workload: string, runs: Run[]): ResultRow[] {
  const baseline = runs.find((r) => r.strategy === "per-episode baseline")?.measurement;
  const div = (a: number, b: number | undefined) => (b ? Math.round((a / b) * 10_000) / 10_000 : null);
  return runs.map((run) => ({
    scenario,
    strategy: run.strategy,
    workload,
    measurement: run.measurement,
    minimumRequests: run.minimumRequests,
    lowerBoundMs: Math.round((run.minimumRequests / RATE_LIMIT) * 1000),
    vsBaseline:
      run.strategy === "per-episode baseline"
        ? undefined
        : { tmdbRequests: div(run.measurement.tmdbRequests, baseline?.tmdbRequests), wall: div(run.measurement.wallMs, baseline?.wallMs) },
    note: run.note,
  }));
}

const checks: Record<string, unknown> = {};
const uid = (name: string) => `bench-${name}`;

async function coldAndWarm(bench: Bench): Promise<ResultRow[]> {
  const shows = coldLibraryShows(COLD_FIRST_ID);
  const perSeasonShows = coldLibraryShows(PER_SEASON_FIRST_ID);
  phase(`registering ${FULL ? 200 : 100} shows with the fake TMDB`);
  await registerShows(bench, FULL ? [...shows, ...perSeasonShows] : shows);
  phaseDone();
  const library = shows.map(wholeShow);
  const perSeasonLibrary = perSeasonShows.map(wholeShow);
  const expected = episodeCount(library);
  const count = (stats: { enriched: number }, what: string) => {
    if (stats.enriched !== expected) throw new Error(`${what}: enriched ${stats.enriched} of ${expected} episodes`);
  };

  phase("seeding the cold and warm libraries");
  await seed(bench, [
    [uid("cold"), library],
    [uid("cold-baseline"), library],
    [uid("warm"), library],
    ...(FULL
      ? ([
          [uid("cold-per-season"), perSeasonLibrary],
          [uid("warm-baseline"), library],
        ] as const)
      : []),
  ]);
  phaseDone();

  const cold: Run[] = [];
  phase("cold library, season cache");
  const ours = await measure(bench.fake.control, bench.firestoreCounts, () => enrichLibrary(instance(bench), uid("cold")));
  count(ours.value, "cold season cache");
  cold.push({ strategy: "season cache", measurement: ours.measurement, minimumRequests: minimumRequests([library], "appended") });
  // How much of the wall time the TMDB requests span (first to last arrival at the fake), against the rate floor.
  const arrivals = (await bench.fake.control.requests("/tv/")).map((r) => r.at);
  const tmdbSpanMs = arrivals.length > 0 ? Math.max(...arrivals) - Math.min(...arrivals) : 0;
  checks.coldLibrary = { wallMs: ours.measurement.wallMs, tmdbRequests: ours.measurement.tmdbRequests, tmdbSpanMs };
  phaseDone(`${ours.measurement.tmdbRequests} TMDB requests over ${(tmdbSpanMs / 1000).toFixed(2)} s`);

  if (FULL) {
    phase("cold library, one request per season");
    const perSeason = await measure(bench.fake.control, bench.firestoreCounts, () => {
      const ctx = instance(bench);
      return enrichLibrary({ ...ctx, cache: new PerSeasonTvCache(ctx.db, ctx.tmdb, ctx.config.cache, ctx.clock) }, uid("cold-per-season"));
    });
    count(perSeason.value, "cold per season");
    cold.push({
      strategy: "one request per season",
      measurement: perSeason.measurement,
      minimumRequests: minimumRequests([perSeasonLibrary], "per-season"),
    });
    phaseDone(`${perSeason.measurement.tmdbRequests} TMDB requests`);
  }

  let baseline: Measurement | undefined;
  if (!NO_BASELINES) {
    phase(
      `cold library, per-episode baseline (${expected.toLocaleString("en-US")} episode requests, at least ${Math.round(expected / RATE_LIMIT)} s)`,
    );
    const naive = await measure(bench.fake.control, bench.firestoreCounts, () => naiveEnrichLibrary(instance(bench), uid("cold-baseline")));
    count(naive.value, "cold baseline");
    baseline = naive.measurement;
    cold.push({ strategy: "per-episode baseline", measurement: baseline, minimumRequests: minimumRequests([library], "per-episode") });
    phaseDone();
  }
  checks.coldSeasonDocuments = await checkSeasonDocuments(bench, shows);

  const warm: Run[] = [];
  phase("warm library (a second user, same library), season cache");
  const warmOurs = await measure(bench.fake.control, bench.firestoreCounts, () => enrichLibrary(instance(bench), uid("warm")));
  count(warmOurs.value, "warm season cache");
  warm.push({ strategy: "season cache", measurement: warmOurs.measurement, minimumRequests: 0 });
  phaseDone(`${warmOurs.measurement.tmdbRequests} TMDB requests`);
  if (!baseline) {
    // --no-baselines
  } else if (FULL) {
    phase("warm library, per-episode baseline");
    const warmBaseline = await measure(bench.fake.control, bench.firestoreCounts, () =>
      naiveEnrichLibrary(instance(bench), uid("warm-baseline")),
    );
    count(warmBaseline.value, "warm baseline");
    warm.push({
      strategy: "per-episode baseline",
      measurement: warmBaseline.measurement,
      minimumRequests: minimumRequests([library], "per-episode"),
    });
    phaseDone();
  } else {
    // The baseline has no cache: its warm run is its cold run again, so it is not repeated.
    warm.push({
      strategy: "per-episode baseline",
      measurement: baseline,
      minimumRequests: minimumRequests([library], "per-episode"),
      note: "no cache to warm: the cold run's numbers (`--full` re-runs it)",
    });
  }
  const workload = workloadOf([library]);
  return [...rowsOf("cold library", workload, cold), ...rowsOf("warm library", workload, warm)];
}

async function crowd(bench: Bench): Promise<ResultRow[]> {
  const shows = popularShows(POPULAR_FIRST_ID);
  await registerShows(bench, shows);
  const libraries = Array.from({ length: CROWD_USERS }, (_, u) => crowdLibrary(shows, u));
  phase(`seeding ${CROWD_USERS} + ${CROWD_USERS} crowd users`);
  await seed(
    bench,
    libraries.flatMap((library, u) => [[uid(`crowd-${u}`), library] as const, [uid(`crowd-baseline-${u}`), library] as const]),
  );
  phaseDone();
  const perUser = episodeCount(libraries[0]);

  phase(`crowd: ${CROWD_USERS} users at once, each its own function instance, season cache`);
  const ours = await measure(bench.fake.control, bench.firestoreCounts, () =>
    Promise.all(libraries.map((_, u) => enrichUntilDone(instance(bench), uid(`crowd-${u}`)))),
  );
  const firstPending = ours.value.reduce((n, r) => n + r.firstPending, 0);
  const rounds = Math.max(...ours.value.map((r) => r.rounds));
  const short = ours.value.filter((r) => r.enriched !== perUser).length;
  const enrichments = libraries.reduce((n, l) => n + l.length, 0);
  const readsPerEnrichment = Math.round((ours.measurement.firestoreReads / enrichments) * 100) / 100;
  checks.crowd = {
    users: CROWD_USERS,
    seasonsPendingOnFirstCall: firstPending,
    callsNeeded: rounds,
    usersNotFullyEnriched: short,
    enrichments,
    readsPerEnrichment,
    listenReads: ours.measurement.firestoreListenReads,
  };
  phaseDone(
    `${ours.measurement.tmdbRequests} TMDB requests; ${firstPending} seasons pending on the first call, ${rounds} calls needed; ` +
      `${ours.measurement.firestoreReads} reads (${ours.measurement.firestoreListenReads} by lock-wait listeners), ${readsPerEnrichment} per enrichment`,
  );

  const rows: Run[] = [
    {
      strategy: "season cache",
      measurement: ours.measurement,
      minimumRequests: minimumRequests(libraries, "appended"),
      note: firstPending
        ? `first call: ${firstPending.toLocaleString("en-US")} of ${libraries.reduce((n, l) => n + seasonCount(l), 0).toLocaleString("en-US")} seasons pending behind another user's lock; users called again after ${CROWD_RETRY_MS / 1000} s, ${rounds} calls at most${short ? `; ${short} users incomplete` : ""}`
        : undefined,
    },
  ];
  if (!NO_BASELINES) {
    // One shared, rate-limited TMDB client: 200 separate ones would only collect 429s and fail, so the
    // baseline gets its best case, bounded by TMDB's rate limit alone.
    const shared = new TmdbClient({ baseUrl: bench.fake.url, credential: "fake-tmdb-key" });
    phase(`crowd, per-episode baseline (${(perUser * CROWD_USERS).toLocaleString("en-US")} episode requests)`);
    const baseline = await measure(bench.fake.control, bench.firestoreCounts, () =>
      Promise.all(libraries.map((_, u) => naiveEnrichLibrary(instance(bench, shared), uid(`crowd-baseline-${u}`)))),
    );
    phaseDone();
    rows.push({
      strategy: "per-episode baseline",
      measurement: baseline.measurement,
      minimumRequests: minimumRequests(libraries, "per-episode"),
      note: "one TMDB client shared by all users",
    });
  }
  return rowsOf("crowd", workloadOf(libraries), rows);
}

async function enrichUntilDone(ctx: AppContext, user: string): Promise<{ enriched: number; rounds: number; firstPending: number }> {
  let enriched = 0;
  let firstPending = 0;
  for (let round = 1; ; round++) {
    const result = await enrichLibrary(ctx, user);
    enriched += result.enriched;
    if (round === 1) firstPending = result.pendingSeasons;
    if (result.pendingSeasons === 0 || round === MAX_CALLS) return { enriched, rounds: round, firstPending };
    await new Promise((resolve) => setTimeout(resolve, CROWD_RETRY_MS));
  }
}

async function longShows(bench: Bench): Promise<ResultRow[]> {
  const long = wholeShow(builtInShow(LONG_SHOW_ID));
  const soap = wholeShow(builtInShow(SOAP_SHOW_ID));
  phase("seeding the long show and the soap");
  await seed(bench, [
    [uid("long"), [long]],
    [uid("long-baseline"), [long]],
    [uid("soap"), [soap]],
    [uid("soap-baseline"), [soap]],
  ]);
  phaseDone();

  phase("long show (1,100 episodes), season cache");
  const ours = await measure(bench.fake.control, bench.firestoreCounts, () => enrichShow(instance(bench), uid("long"), LONG_SHOW_ID));
  phaseDone(`${ours.value.enriched} enriched, ${ours.measurement.tmdbRequests} TMDB requests`);
  phase("long show, per-episode baseline");
  const baseline = await measure(bench.fake.control, bench.firestoreCounts, () =>
    naiveEnrichLibrary(instance(bench), uid("long-baseline")),
  );
  phaseDone();

  const soapRef = trackingRef(bench.seedDb, uid("soap"), SOAP_SHOW_ID);
  const before = await soapRef.get();
  phase("soap (10,000 episodes), season cache");
  const soapOurs = await measure(bench.fake.control, bench.firestoreCounts, async () => {
    try {
      await enrichShow(instance(bench), uid("soap"), SOAP_SHOW_ID);
      return "written";
    } catch (error) {
      if (error instanceof AppError) return error.code;
      throw error;
    }
  });
  const after = await soapRef.get();
  const unchanged = after.updateTime?.isEqual(before.updateTime as Timestamp) ?? false;
  const cached = await seasonRef(bench.seedDb, SOAP_SHOW_ID, 1).get();
  checks.soap = { outcome: soapOurs.value, userDocumentUnchanged: unchanged, seasonDocumentCached: cached.get("status") === "complete" };
  phaseDone(`${soapOurs.value}, document unchanged: ${unchanged}`);

  const sampled = !FULL;
  phase(`soap, per-episode baseline${sampled ? ` (first ${SOAP_SAMPLE.toLocaleString("en-US")} of 10,000 requests)` : ""}`);
  const soapBaseline = await measure(bench.fake.control, bench.firestoreCounts, () =>
    naiveEnrichLibrary(instance(bench), uid("soap-baseline"), { maxEpisodeRequests: sampled ? SOAP_SAMPLE : Infinity }),
  );
  phaseDone(sampled ? "" : `refused: ${soapBaseline.value.refused}`);
  const factor = sampled ? soap.episodes.length / SOAP_SAMPLE : 1;
  const projected: Measurement = {
    ...soapBaseline.measurement,
    tmdbRequests: Math.round(soapBaseline.measurement.tmdbRequests * factor),
    wallMs: Math.round(soapBaseline.measurement.wallMs * factor),
  };
  return [
    ...rowsOf("long show", workloadOf([[long]]), [
      { strategy: "season cache", measurement: ours.measurement, minimumRequests: minimumRequests([[long]], "appended") },
      { strategy: "per-episode baseline", measurement: baseline.measurement, minimumRequests: minimumRequests([[long]], "per-episode") },
    ]),
    ...rowsOf("daily soap", workloadOf([[soap]]), [
      {
        strategy: "season cache",
        measurement: soapOurs.measurement,
        minimumRequests: minimumRequests([[soap]], "appended"),
        note:
          soapOurs.value === "failed-precondition"
            ? "refused (failed-precondition: over 1 MiB), nothing written"
            : `outcome: ${soapOurs.value}`,
      },
      {
        strategy: "per-episode baseline",
        measurement: projected,
        minimumRequests: minimumRequests([[soap]], "per-episode"),
        note: sampled
          ? `requests and time projected ×${factor} from the first ${SOAP_SAMPLE.toLocaleString("en-US")} (\`--full\` measures all); then refused the same way`
          : "refused after fetching every episode",
      },
    ]),
  ];
}

// --------------------------------------------------------------------------------- checks

/** Every cold season document is complete and holds only the contract's three episode fields. */
async function checkSeasonDocuments(bench: Bench, shows: BenchShow[]): Promise<Record<string, number>> {
  const refs = shows.flatMap((show) => show.spec.seasons.map((_, s) => seasonRef(bench.seedDb, show.showId, s + 1)));
  const snaps = await bench.seedDb.getAll(...refs);
  let complete = 0;
  let extraFields = 0;
  for (const snap of snaps) {
    const data = snap.data() ?? {};
    if (data.status === "complete") complete++;
    const topLevel = Object.keys(data).sort().join(",");
    const episodeFields = Object.values(data.episodes ?? {}).map((e) =>
      Object.keys(e as object)
        .sort()
        .join(","),
    );
    if (topLevel !== "episodes,lastUpdated,status" || episodeFields.some((f) => f !== "episodeAirDate,episodeId,episodeName"))
      extraFields++;
  }
  return { seasonDocuments: snaps.length, complete, withOtherFields: extraFields };
}

/**
 * The lock guarantee, checked on what the fake TMDB received: no season was fetched twice by the
 * season cache across the whole run (crowd included), whether on its own or appended to `/tv/{id}`.
 * The user-day's nightly job, which re-fetches the shows TMDB reported changed, is left out.
 */
async function checkSeasonFetches(bench: Bench): Promise<Record<string, number>> {
  const all = await bench.fake.control.requests();
  const nightly = (i: number) => refreshRanges.some(([from, to]) => i >= from && i < to);
  const log = all.filter((entry, i) => entry.path.startsWith("/tv/") && !nightly(i));
  const fetches = new Map<string, number>();
  let showRequests = 0;
  for (const entry of log) {
    const show = /^\/tv\/(\d+)$/.exec(entry.path);
    const season = /^\/tv\/(\d+)\/season\/(\d+)$/.exec(entry.path);
    const seasons = show
      ? (entry.query.append_to_response ?? "")
          .split(",")
          .filter(Boolean)
          .map((item) => `${show[1]}_${item.replace("season/", "")}`)
      : season
        ? [`${season[1]}_${season[2]}`]
        : [];
    // A season's names in another language (issue 26) are another document: keyed apart.
    if (entry.query.language) for (const [i, key] of seasons.entries()) seasons[i] = `${key}_${entry.query.language}`;
    if (show) showRequests++;
    for (const key of seasons) fetches.set(key, (fetches.get(key) ?? 0) + 1);
  }
  const counts = [...fetches.values()];
  return {
    seasonsFetched: fetches.size,
    appendedShowRequests: showRequests,
    seasonsFetchedMoreThanOnce: counts.filter((n) => n > 1).length,
    maxFetchesOfOneSeason: Math.max(0, ...counts),
    nightlyRefreshRequestsLeftOut: all.filter((_, i) => nightly(i)).length,
  };
}

// ------------------------------------------------------------------------ library (issue 16)

const LIBRARY_FIRST_IDS = [7_400_001, 7_500_001, 7_600_001];
/** Indexes of the fake's request log written by the nightly job's refreshes. */
const refreshRanges: Array<[from: number, to: number]> = [];
/** The 50-show library has shows of its own, so the nightly job's re-enrichment of a show finds one follower. */
const SMALL_LIBRARY_FIRST_ID = 7_700_001;

/** Issue 22: a library past what one summary document holds (about 1,500 shows), 100 shows a range. */
const HUGE_LIBRARY_SHOWS = 5_000;
const HUGE_LIBRARY_FIRST_ID = 8_300_001;
const hugeLibraryShows = () =>
  Array.from({ length: HUGE_LIBRARY_SHOWS / 100 }, (_, r) => coldLibraryShows(HUGE_LIBRARY_FIRST_ID + r * 1_000)).flat();
/** The first two episodes of every season: the entry's size is the show's (its seasons), not the episodes watched. */
const sampledShow = (show: BenchShow): LibraryShow => ({
  showId: show.showId,
  episodes: show.spec.seasons.flatMap((_, s) => [1, 2].map((episode) => ({ season: s + 1, episode }))),
});

async function libraryCost(bench: Bench): Promise<CostRow[]> {
  const large = LIBRARY_FIRST_IDS.flatMap((firstId) => coldLibraryShows(firstId));
  const small = coldLibraryShows(SMALL_LIBRARY_FIRST_ID).slice(0, 50);
  const showsOf = (n: number) => (n === 50 ? small : large.slice(0, n));
  phase(`registering ${large.length + small.length} shows, seeding a 50-show and a 300-show library`);
  await registerShows(bench, [...large, ...small]);
  const libraries = [50, 300].map((n) => [uid(`library-${n}`), showsOf(n).map(wholeShow)] as const);
  await seed(bench, libraries);
  phaseDone();
  const deps = {
    instance: (clock: () => Date) => createAppContext({ ...instance(bench), clock }),
    counts: bench.firestoreCounts,
    setChanges: (showIds: number[]) => bench.fake.control.setChanges(showIds),
  };
  const rows: CostRow[] = [];
  const library: Record<string, unknown> = {};
  for (const n of [300, 50]) {
    phase(`getLibrary warm, ${n} shows: summary vs full recomputation`);
    const warm = await warmLibraryRows(deps, uid(`library-${n}`), showsOf(n));
    rows.push(...warm.rows);
    library[`warm${n}`] = warm.check;
    phaseDone();
  }
  for (const n of [50, 300]) {
    phase(`user-day, ${n} shows, and the next night`);
    const logFrom = (await bench.fake.control.requests()).length;
    rows.push(await userDayRow(deps, uid(`library-${n}`), showsOf(n)));
    // The nightly job re-fetches the changed shows on purpose: not part of the no-season-twice check.
    refreshRanges.push([logFrom, (await bench.fake.control.requests()).length]);
    phaseDone();
  }
  {
    const huge = hugeLibraryShows();
    phase(`registering and seeding a ${huge.length.toLocaleString("en-US")}-show library`);
    await registerShows(bench, huge);
    await seed(bench, [[uid(`library-${huge.length}`), huge.map(sampledShow)]]);
    phaseDone();
    phase(`getLibrary warm, ${huge.length.toLocaleString("en-US")} shows: summary vs full recomputation (TMDB warms the cache first)`);
    const warm = await warmLibraryRows(deps, uid(`library-${huge.length}`), huge);
    rows.push(...warm.rows);
    library[`warm${huge.length}`] = warm.check;
    phaseDone();
  }
  checks.library = library;
  return rows;
}

// ----------------------------------------------------------------------------------- main

async function main(): Promise<void> {
  const started = Date.now();
  const startLoad = loadavg().map((n) => Math.round(n * 10) / 10);
  routeFunctionLogs(join(root, "bench/results/tmp/functions.log"));
  print(
    `bench: fake TMDB ${LATENCY_MS} ms per request, ${RATE_LIMIT} requests/s${FULL ? ", full baselines" : ""}; function logs in bench/results/tmp/functions.log`,
  );
  const bench = await setUp();
  try {
    const rows: ResultRow[] = [];
    if (selected("cold")) rows.push(...(await coldAndWarm(bench)));
    if (selected("crowd")) rows.push(...(await crowd(bench)));
    if (selected("long")) rows.push(...(await longShows(bench)));
    const importRows: ImportsBenchRow[] = selected("imports")
      ? await importsBench({ ...bench, requestsPerSecond: RATE_LIMIT, uid: uid("imports"), phase, phaseDone })
      : [];
    if (selected("imports-large"))
      importRows.push(
        ...(await importsLargeBench({ ...bench, requestsPerSecond: RATE_LIMIT, uid: uid("imports-large"), phase, phaseDone })),
      );
    if (importRows.length > 0) checks.imports = importRows;
    const calendarRows: CalendarBenchRow[] = selected("calendar")
      ? await calendarBench({ ...bench, instance: () => instance(bench), uid: uid("calendar"), phase, phaseDone })
      : [];
    if (calendarRows.length > 0) checks.calendar = calendarRows;
    const householdRows: HouseholdsBenchRow[] = selected("households")
      ? await householdsBench({ ...bench, instance: () => instance(bench), uid, phase, phaseDone })
      : [];
    if (householdRows.length > 0) checks.households = householdRows;
    const socialRows: SocialBenchRow[] = selected("social")
      ? await socialBench({ ...bench, instance: () => instance(bench), uid, phase, phaseDone })
      : [];
    if (socialRows.length > 0) checks.social = socialRows;
    const costRows = selected("library") ? await libraryCost(bench) : [];
    // Issue 26: names in French (bench/language.ts).
    const languageRows: LanguageBenchRow[] = selected("language")
      ? await languageBench({ ...bench, instance: () => instance(bench), uid, phase, phaseDone })
      : [];
    if (languageRows.length > 0) checks.language = languageRows;
    checks.seasonFetches = await checkSeasonFetches(bench);
    const benchSeconds = Math.round((Date.now() - started) / 1000);
    const machine = {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? "unknown",
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      // Wall times depend on what else the machine runs; this says how busy it was.
      loadAverage: { atStart: startLoad, atEnd: loadavg().map((n) => Math.round(n * 10) / 10) },
    };
    const subtitle = `fake TMDB: ${LATENCY_MS} ms/request, ${RATE_LIMIT} requests/s · ${machine.cpus} cores, Node ${machine.node} · Firestore emulator`;
    // A partial run (`--only`) must not replace the committed full results: it writes beside the logs.
    const outDir = ONLY ? join(root, "bench/results/tmp") : join(root, "bench");
    writeFileSync(
      join(outDir, "results.json"),
      JSON.stringify(
        {
          generatedAt: new Date().toISOString(),
          machine,
          settings: { latencyMs: LATENCY_MS, rateLimitPerSecond: RATE_LIMIT, full: FULL, only: ONLY ?? null },
          benchSeconds,
          rows,
          costRows,
          checks,
        },
        null,
        2,
      ) + "\n",
    );
    writeFileSync(join(outDir, "results.svg"), svgChart(rows, subtitle));
    print();
    print(markdownTable(rows));
    print();
    if (importRows.length > 0) print(`${importsTable(importRows)}\n`);
    if (calendarRows.length > 0) print(`${calendarTable(calendarRows)}\n`);
    if (householdRows.length > 0) print(`${householdsTable(householdRows)}\n`);
    if (socialRows.length > 0) print(`${socialTable(socialRows)}\n`);
    if (costRows.length > 0) print(`${costTable(costRows)}\n`);
    if (languageRows.length > 0) print(`${languageTable(languageRows)}\n`);
    print(`checks: ${JSON.stringify(checks)}`);
    print(
      `machine: ${machine.cpus} cores (${machine.cpuModel}), Node ${machine.node}, load average ${startLoad[0]} → ${machine.loadAverage.atEnd[0]}; bench ${benchSeconds} s (emulator start-up not included)`,
    );
    print(`wrote ${outDir.slice(root.length + 1)}/results.json and results.svg`);
  } finally {
    await bench.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    writeSync(2, `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);

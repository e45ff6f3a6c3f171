/**
 * The bench's command line, parsed in one place: `npm run bench -- <flags>` reaches `bench/main.ts`,
 * which validates the flags with this module before building anything, runs the scenarios
 * (`bench/run.ts`, parsing the same flags again) inside the emulators, then the cold-start measure.
 * Unknown flags are an error that lists the valid ones: a typo must not silently run the full bench.
 */

/** Scenarios of `bench/run.ts`, in the order they run, and the cold-start measure (`bench/coldStart.mjs`). */
export const SCENARIOS = {
  cold: "a cold then warm 100-show library (with per-episode baselines unless --no-baselines)",
  crowd: "200 users enriching the same 5 cold shows at once",
  long: "the 1,100-episode show and the 10,000-episode daily soap",
  imports: "a 30,000-play TV Time export imported through the pipeline, then again",
  "imports-large": "a generated 64,552-play Trakt watched-shows.json (861 shows) imported, then again",
  calendar: "getCalendar for a 300-show library, cold then warm",
  households: "watch together for 6 profiles vs 6 marks, a member's view of a profile, deleteAccount of 30,000 plays",
  social: "direct messages: 1,000 concurrent sends, a page of shared episodes, 200 users sharing one cold episode",
  library: "getLibrary from the summary vs the full recomputation (50, 300 and 5,000 shows), and a user-day's cost",
  language: "names in French: 100 cold shows, a second French user, a language switch on 300 shows",
  "cold-start": "module load time and heap per deployed function (bench/coldStart.mjs)",
  web: "the web app in Chromium: first-screen JavaScript gzipped, first library render with 300 shows, its reads (bench/web.ts)",
} as const;

export type Scenario = keyof typeof SCENARIOS;

export interface BenchOptions {
  /** Scenarios to run, in run order. */
  scenarios: Scenario[];
  /** `--only` was given: a partial run, whose results go to bench/results/tmp/. */
  partial: boolean;
  full: boolean;
  noBaselines: boolean;
  latencyMs: number;
  rateLimitPerSecond: number;
  /** Cold-start samples per function. */
  coldStartRuns: number;
  /** `--help`: print the flags and scenarios, run nothing. */
  help: boolean;
}

const FLAGS = [
  ["--only=LIST", `comma-separated scenarios: ${Object.keys(SCENARIOS).join(", ")}`],
  ["--full", "also run the warm and soap baselines in full and the one-request-per-season cache"],
  ["--no-baselines", "skip the per-episode baselines of the cold, warm and crowd scenarios"],
  ["--latency=MS", "fake TMDB latency per request (default 40)"],
  ["--rate-limit=N", "fake TMDB requests per second (default 40)"],
  ["--runs=N", "cold-start samples per function (default 5)"],
  ["--help", "print this list and run nothing"],
] as const;

export class BenchUsageError extends Error {}

export function usage(): string {
  const flagLines = FLAGS.map(([flag, text]) => `  ${flag.padEnd(16)} ${text}`);
  const scenarioLines = Object.entries(SCENARIOS).map(([name, text]) => `  ${name.padEnd(16)} ${text}`);
  return ["usage: npm run bench -- [flags]", "flags:", ...flagLines, "scenarios:", ...scenarioLines].join("\n");
}

function positiveNumber(flag: string, value: string): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) throw new BenchUsageError(`${flag} needs a positive number, got "${value}"\n${usage()}`);
  return number;
}

export function parseBenchArgs(args: readonly string[]): BenchOptions {
  const options: BenchOptions = {
    scenarios: Object.keys(SCENARIOS) as Scenario[],
    partial: false,
    full: false,
    noBaselines: false,
    latencyMs: 40,
    rateLimitPerSecond: 40,
    coldStartRuns: 5,
    help: false,
  };
  for (const arg of args) {
    const [flag, value] = arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    if (flag === "--help" && value === undefined) options.help = true;
    else if (flag === "--full" && value === undefined) options.full = true;
    else if (flag === "--no-baselines" && value === undefined) options.noBaselines = true;
    else if (flag === "--latency" && value !== undefined) options.latencyMs = positiveNumber(flag, value);
    else if (flag === "--rate-limit" && value !== undefined) options.rateLimitPerSecond = positiveNumber(flag, value);
    else if (flag === "--runs" && value !== undefined) options.coldStartRuns = positiveNumber(flag, value);
    else if (flag === "--only" && value !== undefined) {
      const names = value.split(",").filter((name) => name !== "");
      const unknown = names.filter((name) => !(name in SCENARIOS));
      if (names.length === 0 || unknown.length > 0) {
        throw new BenchUsageError(
          `unknown scenario${unknown.length === 1 ? "" : "s"} in --only: "${unknown.join(", ") || value}"\n${usage()}`,
        );
      }
      // Run order is the table's, whatever order the user listed them in.
      options.scenarios = (Object.keys(SCENARIOS) as Scenario[]).filter((name) => names.includes(name));
      options.partial = true;
    } else throw new BenchUsageError(`unknown flag "${arg}"\n${usage()}`);
  }
  return options;
}

/** What `bench/main.ts` runs for these options (the scenarios inside the emulators, then the cold starts). */
export function benchPlan(options: BenchOptions): { runScenarios: Scenario[]; coldStart: boolean; web: boolean } {
  if (options.help) return { runScenarios: [], coldStart: false, web: false };
  return {
    runScenarios: options.scenarios.filter((name) => name !== "cold-start" && name !== "web"),
    coldStart: options.scenarios.includes("cold-start"),
    web: options.scenarios.includes("web"),
  };
}

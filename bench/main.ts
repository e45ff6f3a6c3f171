/**
 * `npm run bench -- [flags]`: the bench's one entry point. npm appends the user's flags here (not to
 * the last command of a script chain), so they are validated first (`bench/options.ts`: an unknown
 * flag fails before anything is built), then: build, the scenarios inside the emulators
 * (`bench/run.ts`), and the cold-start measure when it is selected.
 */
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { benchPlan, BenchUsageError, parseBenchArgs, usage } from "./options";

const root = resolve(__dirname, "..");

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function main(): void {
  const args = process.argv.slice(2);
  let plan: ReturnType<typeof benchPlan>;
  let runs: number;
  try {
    const options = parseBenchArgs(args);
    if (options.help) {
      console.log(usage());
      return;
    }
    plan = benchPlan(options);
    runs = options.coldStartRuns;
  } catch (error) {
    if (error instanceof BenchUsageError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  run("npm", ["run", "build"]);
  if (plan.runScenarios.length > 0) {
    run("node", ["scripts/with-emulators.mjs", "--", "node", "--expose-gc", "--import", "tsx", "bench/run.ts", ...args]);
  }
  if (plan.coldStart) run("node", ["bench/coldStart.mjs", "--runs", String(runs)]);
  // The web app (issue 25): its own emulator session, the built app in Chromium.
  if (plan.web) run("node", ["scripts/with-emulators.mjs", "--", "node", "--import", "tsx", "bench/web.ts"]);
}

main();

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { benchPlan, BenchUsageError, parseBenchArgs, SCENARIOS } from "../../bench/options";

describe("npm run bench's flags", () => {
  it("--only=calendar --no-baselines runs the calendar scenario alone, without baselines or cold starts", () => {
    const options = parseBenchArgs(["--only=calendar", "--no-baselines"]);
    expect(benchPlan(options)).toEqual({ runScenarios: ["calendar"], coldStart: false, web: false });
    expect(options).toMatchObject({ partial: true, noBaselines: true, full: false });
  });

  it("no flags run every scenario and then the cold starts", () => {
    const options = parseBenchArgs([]);
    expect(benchPlan(options)).toEqual({
      runScenarios: Object.keys(SCENARIOS).filter((name) => name !== "cold-start" && name !== "web"),
      coldStart: true,
      web: true,
    });
    expect(options.partial).toBe(false);
  });

  it("--only keeps the run order whatever order the user lists, and cold-start alone runs no scenario", () => {
    expect(benchPlan(parseBenchArgs(["--only=library,cold,crowd"])).runScenarios).toEqual(["cold", "crowd", "library"]);
    expect(benchPlan(parseBenchArgs(["--only=cold-start", "--runs=2"]))).toEqual({ runScenarios: [], coldStart: true, web: false });
    expect(benchPlan(parseBenchArgs(["--only=web"]))).toEqual({ runScenarios: [], coldStart: false, web: true });
  });

  it.each([["--only=calendr"], ["--onlyx=calendar"], ["--no-baseline"], ["--latency=fast"], ["--full=yes"], ["--only="]])(
    "%s is an error that lists the valid flags and scenarios",
    (arg) => {
      expect(() => parseBenchArgs([arg])).toThrow(BenchUsageError);
      try {
        parseBenchArgs([arg]);
      } catch (error) {
        expect((error as Error).message).toContain("--no-baselines");
        expect((error as Error).message).toContain("calendar");
      }
    },
  );

  it("every `npm run bench -- …` command in the README parses", () => {
    const readme = readFileSync(join(__dirname, "../../README.md"), "utf8");
    const commands = [...readme.matchAll(/npm run bench -- ([^`\n]+)/g)].map((match) => match[1].trim());
    expect(commands.length).toBeGreaterThan(3);
    for (const command of commands) {
      const args = command.split(/\s+/).filter((word) => word.startsWith("--"));
      expect(() => parseBenchArgs(args)).not.toThrow();
    }
  });
});

describe("npm run bench -- --help", () => {
  it("runs nothing", () => {
    expect(benchPlan(parseBenchArgs(["--help"]))).toEqual({ runScenarios: [], coldStart: false, web: false });
  });
});

import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as exported from "../../functions/src/index";

/**
 * The deploy path, checked offline: the built codebase loads the way the Firebase CLI loads it and
 * lists every exported function (scripts/deploy-check.mjs), on the Node.js major version that
 * functions/package.json deploys — the same one this suite runs on.
 */
const root = join(__dirname, "..", "..");
const deployedMajor = (JSON.parse(readFileSync(join(root, "functions", "package.json"), "utf8")) as { engines: { node: string } }).engines
  .node;

interface DeployCheck {
  runtime: string;
  loadedOn: string;
  params: string[];
  endpoints: Array<{ name: string; trigger: string; region: string; secrets: string[] }>;
}

describe("the deployed runtime", () => {
  it("is Node.js 24 (supported by Cloud Functions until 2028-10-31; 22 is deprecated 2027-04-30), and the one this suite runs on", () => {
    expect(deployedMajor).toBe("24");
    expect(process.versions.node.split(".")[0]).toBe(deployedMajor);
  });

  it("loads the built codebase as `firebase deploy` discovers it, with every exported function", () => {
    const check = JSON.parse(
      execFileSync(process.execPath, [join(root, "scripts", "deploy-check.mjs"), "--json"], { cwd: root, encoding: "utf8" }),
    ) as DeployCheck;
    expect(check.runtime).toBe(`nodejs${deployedMajor}`);
    expect(check.loadedOn.startsWith(`v${deployedMajor}.`)).toBe(true);
    expect(check.endpoints.map((e) => e.name).sort()).toEqual(Object.keys(exported).sort());
    expect(check.endpoints.every((e) => e.region === "us-central1")).toBe(true);
    expect(check.params).toEqual(
      expect.arrayContaining(["TMDB_API_KEY", "TMDB_BASE_URL", "LOCK_LEASE_SECONDS", "CACHE_TTL_DAYS", "PLAYBACK_WATCHED_PERCENT"]),
    );
  });

  it("has a value in functions/.env for every param, so the emulator never stops at a prompt", () => {
    const check = JSON.parse(
      execFileSync(process.execPath, [join(root, "scripts", "deploy-check.mjs"), "--json"], { cwd: root, encoding: "utf8" }),
    ) as DeployCheck;
    const secrets = new Set(check.endpoints.flatMap((e) => e.secrets));
    const envKeys = readFileSync(join(root, "functions", ".env"), "utf8")
      .split("\n")
      .map((line) => /^([A-Z0-9_]+)=/.exec(line)?.[1])
      .filter((key): key is string => key !== undefined);
    expect(check.params.filter((name) => !secrets.has(name) && !envKeys.includes(name))).toEqual([]);
  });
});

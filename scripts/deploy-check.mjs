#!/usr/bin/env node
// `npm run deploy:check`: what `firebase deploy --only functions` would discover, offline. It loads the
// BUILT codebase (functions/lib, `npm run build` first) the way the Firebase CLI does — through
// firebase-functions' own manifest mode — on the Node.js version the functions deploy on
// (functions/package.json engines.node, the `node` dev dependency), and lists every function.
//
//   node scripts/deploy-check.mjs          a table
//   node scripts/deploy-check.mjs --json   the endpoints, for tests
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const functionsDir = join(root, "functions");
const deployedMajor = JSON.parse(readFileSync(join(functionsDir, "package.json"), "utf8")).engines.node;
const localNode = join(root, "node_modules", "node", "bin", "node");
const nodeBin = existsSync(localNode) ? localNode : process.execPath;

if (!existsSync(join(functionsDir, "lib", "index.js"))) {
  console.error("functions/lib/index.js is missing: run `npm run build` first");
  process.exit(1);
}

const dir = mkdtempSync(join(tmpdir(), "functions-manifest-"));
const manifestPath = join(dir, "functions.json");
let nodeVersion;
try {
  nodeVersion = execFileSync(nodeBin, ["--version"], { encoding: "utf8" }).trim();
  execFileSync(nodeBin, [join(root, "node_modules", "firebase-functions", "lib", "bin", "firebase-functions.js"), functionsDir], {
    cwd: functionsDir,
    // As the CLI loads the code: no project, no credentials, nothing contacted.
    env: {
      ...process.env,
      FUNCTIONS_MANIFEST_OUTPUT_PATH: manifestPath,
      GCLOUD_PROJECT: "demo-deploy-check",
      METADATA_SERVER_DETECTION: "none",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
  const endpoints = Object.entries(manifest.endpoints).map(([name, e]) => ({
    name,
    trigger: e.callableTrigger
      ? "callable"
      : e.httpsTrigger
        ? "https"
        : e.scheduleTrigger
          ? "schedule"
          : e.taskQueueTrigger
            ? "task queue"
            : e.eventTrigger
              ? "event"
              : "other",
    region: (e.region ?? []).join(","),
    secrets: (e.secretEnvironmentVariables ?? []).map((s) => s.key),
  }));
  const result = {
    runtime: `nodejs${deployedMajor}`,
    loadedOn: nodeVersion,
    params: (manifest.params ?? []).map((p) => p.name),
    endpoints,
  };
  if (process.argv.includes("--json")) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } else {
    console.log(`${endpoints.length} functions, runtime ${result.runtime} (loaded on Node.js ${nodeVersion}):`);
    for (const e of endpoints) console.log(`  ${e.name.padEnd(24)} ${e.trigger.padEnd(10)} ${e.region.padEnd(12)} ${e.secrets.join(",")}`);
    console.log(`params: ${result.params.join(", ")}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

#!/usr/bin/env node
// Cold start per function (issue 16): what one instance of each deployed function loads before it can
// answer. Each sample is a fresh Node.js process (the deployed major version, from the `node` dev
// dependency) that requires the built codebase (functions/lib) as Cloud Functions does, with
// FUNCTION_TARGET naming the function; it reports the module load time and the heap after load (after
// a GC). "all modules" is the same load without a target — what every instance loaded before
// index.ts loaded only its target's modules (and what the CLI's discovery still loads).
//
//   node bench/coldStart.mjs [--runs N]     writes bench/cold-start.json and prints the table
import { execFileSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const localNode = join(root, "node_modules", "node", "bin", "node");
const nodeBin = existsSync(localNode) ? localNode : process.execPath;
const runsArg = process.argv.indexOf("--runs");
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 5;
const indexPath = join(root, "functions", "lib", "index.js");
if (!existsSync(indexPath)) {
  console.error("functions/lib/index.js is missing: run `npm run build` first");
  process.exit(1);
}

const probe = `
const { performance } = require("node:perf_hooks");
const started = performance.now();
const loaded = require(${JSON.stringify(indexPath)});
const loadMs = performance.now() - started;
globalThis.gc();
const exported = Object.keys(loaded).filter((k) => loaded[k] !== undefined);
process.stdout.write(JSON.stringify({ loadMs, heapMb: process.memoryUsage().heapUsed / 2 ** 20, modules: Object.keys(require.cache).length, exported }));
`;

function sample(target) {
  const env = { ...process.env, GCLOUD_PROJECT: "demo-cold-start", METADATA_SERVER_DETECTION: "none" };
  delete env.FUNCTION_TARGET;
  if (target) env.FUNCTION_TARGET = target;
  return JSON.parse(execFileSync(nodeBin, ["--expose-gc", "-e", probe], { cwd: join(root, "functions"), env, encoding: "utf8" }));
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

function measure(target) {
  const samples = Array.from({ length: runs }, () => sample(target));
  return {
    loadMs: median(samples.map((s) => s.loadMs)),
    heapMb: median(samples.map((s) => s.heapMb)),
    modules: samples[0].modules,
    exported: samples[0].exported,
  };
}

const all = measure(undefined);
const rows = [{ function: "(all modules: no target)", ...all, exported: all.exported.length }];
for (const name of all.exported) {
  const m = measure(name);
  rows.push({ function: name, loadMs: m.loadMs, heapMb: m.heapMb, modules: m.modules, exported: m.exported.length });
}

const fmt = (n, digits = 0) => n.toFixed(digits);
console.log(
  `\nCold start per function (median of ${runs} fresh processes, ${execFileSync(nodeBin, ["--version"], { encoding: "utf8" }).trim()})`,
);
console.log(`| function | module load (ms) | heap after load (MB) | modules loaded | functions defined | load vs all modules |`);
console.log(`| --- | ---: | ---: | ---: | ---: | ---: |`);
for (const row of rows) {
  console.log(
    `| ${row.function} | ${fmt(row.loadMs)} | ${fmt(row.heapMb, 1)} | ${row.modules} | ${row.exported} | ${fmt(row.loadMs / all.loadMs, 2)} |`,
  );
}
const out = join(root, "bench", "cold-start.json");
writeFileSync(out, `${JSON.stringify({ measuredAt: new Date().toISOString(), runs, node: process.versions.node, rows }, null, 2)}\n`);
console.log(`\nwritten to ${out.slice(root.length + 1)}`);

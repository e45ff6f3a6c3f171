#!/usr/bin/env node
// Runs a command inside `firebase emulators:exec` (Firestore, Auth, Functions, Cloud Tasks) with the
// project's fake TMDB server beside it.
//
//   node scripts/with-emulators.mjs -- jest
//
// - Offline machines: firebase-tools cannot download the Firestore emulator jar, so when the Cloud SDK's
//   jar is installed we build a tiny executable "shim" jar pointing at it (the SDK jar has no Main-Class)
//   and hand it to firebase-tools through FIRESTORE_EMULATOR_BINARY_PATH. Elsewhere firebase-tools
//   downloads its own jar as usual.
// - EMULATOR_PORT_OFFSET=N (a multiple of 1000) shifts every port and uses project demo-tvtracker-N,
//   so several runs can share one machine.
// - TMDB_API_KEY set: the functions call the real TMDB (TMDB_BASE_URL or TMDB's own); otherwise they
//   call the fake server started here.
import { spawn, execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync, rmSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createInterface } from "node:readline";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const separator = process.argv.indexOf("--");
const command = separator >= 0 ? process.argv.slice(separator + 1) : process.argv.slice(2);
if (command.length === 0) {
  console.error("usage: node scripts/with-emulators.mjs -- <command> [args...]");
  process.exit(2);
}

// The Node.js the functions deploy on (functions/package.json engines.node), brought by `npm ci` as the
// `node` dev dependency: firebase-tools runs the function workers on the Node it runs on, and the
// command (Jest, the demo) finds it first on PATH, so everything runs on the deployed major version.
const localNode = join(root, "node_modules", "node", "bin", "node");
const nodeBin = existsSync(localNode) ? localNode : process.execPath;

const offset = Number(process.env.EMULATOR_PORT_OFFSET ?? 0);
const projectId = offset ? `demo-tvtracker-${offset}` : "demo-tvtracker";
const cloudSdkJar = "/usr/lib/google-cloud-sdk/platform/cloud-firestore-emulator/cloud-firestore-emulator.jar";

function firestoreShimJar() {
  if (process.env.FIRESTORE_EMULATOR_BINARY_PATH || !existsSync(cloudSdkJar)) return undefined;
  const dir = join(root, ".cache", "firestore-shim");
  const jarPath = join(dir, "cloud-firestore-emulator-shim.jar");
  if (existsSync(jarPath)) return jarPath;
  mkdirSync(dir, { recursive: true });
  const manifest = join(dir, "MANIFEST.MF");
  writeFileSync(
    manifest,
    `Manifest-Version: 1.0\nMain-Class: com.google.cloud.datastore.emulator.firestore.CloudFirestore\nClass-Path: file:${cloudSdkJar}\n`,
  );
  execFileSync("jar", ["cfm", jarPath, manifest], { cwd: dir, stdio: "inherit" });
  return jarPath;
}

function firebaseConfigPath() {
  if (!offset) return join(root, "firebase.json");
  const config = JSON.parse(readFileSync(join(root, "firebase.json"), "utf8"));
  for (const emulator of Object.values(config.emulators)) {
    for (const key of ["port", "websocketPort"]) {
      if (emulator && typeof emulator[key] === "number") emulator[key] += offset;
    }
  }
  const path = join(root, `.firebase.run${offset}.json`);
  writeFileSync(path, JSON.stringify(config, null, 2));
  return path;
}

function startFakeTmdb(port) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      nodeBin,
      [join(root, "node_modules/tsx/dist/cli.mjs"), join(root, "tools/fake-tmdb/cli.ts"), "--port", String(port)],
      {
        cwd: root,
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    const lines = createInterface({ input: child.stdout });
    lines.on("line", (line) => {
      const match = /listening on (\S+)/.exec(line);
      if (match) resolve({ child, url: match[1] });
    });
    child.on("exit", (code) => reject(new Error(`fake TMDB server exited early (code ${code})`)));
  });
}

const env = { ...process.env, PATH: `${join(root, "node_modules", ".bin")}${delimiter}${process.env.PATH ?? ""}` };
// Nothing leaves the machine: with no credentials to find, Google's auth library would otherwise probe
// the cloud metadata server (MetadataLookupWarning). This is its documented switch to skip that.
env.METADATA_SERVER_DETECTION = "none";
// The Firebase CLI fetches a "message of the day" from Google at every start unless its config store
// says it did today: give it a project-local store that does (and opts out of usage reporting), and
// no update check. The emulators then contact nothing but 127.0.0.1.
const cliConfigHome = join(root, ".cache", "firebase-cli-config");
mkdirSync(join(cliConfigHome, "configstore"), { recursive: true });
writeFileSync(join(cliConfigHome, "configstore", "firebase-tools.json"), JSON.stringify({ usage: false, motd: { fetched: Date.now() } }));
env.XDG_CONFIG_HOME = cliConfigHome;
env.NO_UPDATE_NOTIFIER = "1";
const shim = firestoreShimJar();
if (shim) env.FIRESTORE_EMULATOR_BINARY_PATH = shim;

let fake;
let tmdbBaseUrl = process.env.TMDB_BASE_URL ?? "https://api.themoviedb.org/3";
let tmdbKey = process.env.TMDB_API_KEY;
if (!tmdbKey) {
  fake = await startFakeTmdb(5199 + offset);
  tmdbBaseUrl = fake.url;
  tmdbKey = "fake-tmdb-key";
  env.FAKE_TMDB_URL = fake.url;
}

// Per-run values the Functions emulator reads (gitignored): where TMDB is, and the key as a secret.
const projectEnvFile = join(root, "functions", `.env.${projectId}`);
writeFileSync(projectEnvFile, `TMDB_BASE_URL=${tmdbBaseUrl}\n`);
const secretFile = join(root, "functions", ".secret.local");
if (!existsSync(secretFile) || process.env.TMDB_API_KEY) writeFileSync(secretFile, `TMDB_API_KEY=${tmdbKey}\n`);

env.TEST_PROJECT_ID = projectId;
env.GCLOUD_PROJECT = projectId;
env.EMULATOR_PORT_OFFSET = String(offset);

const quoted = command.map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, "'\\''")}'`)).join(" ");
const firebaseBin = join(root, "node_modules/firebase-tools/lib/bin/firebase.js");
const args = [
  firebaseBin,
  "emulators:exec",
  "--only",
  "firestore,auth,functions,tasks",
  "--project",
  projectId,
  "--config",
  firebaseConfigPath(),
  quoted,
];
const child = spawn(nodeBin, args, { cwd: root, env, stdio: "inherit" });

function cleanup() {
  fake?.child.kill("SIGTERM");
  if (offset) rmSync(join(root, `.firebase.run${offset}.json`), { force: true });
}
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    child.kill(signal);
  });
}
child.on("exit", (code, signal) => {
  cleanup();
  process.exit(code ?? (signal ? 1 : 0));
});

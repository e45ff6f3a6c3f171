#!/usr/bin/env node
// `npm start`: builds the functions, starts the emulator suite (Auth, Firestore, Functions) with the
// offline fake TMDB (or the real TMDB when TMDB_API_KEY is set) through scripts/with-emulators.mjs,
// and plays the scripted client session in scripts/demo-session.ts.
//
// In a terminal (a TTY, and CI unset) the session signs a demo user up, and once its sample data is in,
// this serves the web app (web/dist, scripts/serve-web.mjs) and prints its URL; everything runs until Ctrl-C.
// Under CI (CI=true, or no TTY) it ends with the session's summary, as before.
//
// The emulators' own output (start-up banners, every function log line) goes to demo-emulators.log;
// the terminal shows the session alone. The session writes to this process through a local socket,
// because it runs as a grandchild of firebase-tools, whose output it would otherwise share.
import { spawn } from "node:child_process";
import { createWriteStream, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { setInterval, clearInterval } from "node:timers";
import { fileURLToPath } from "node:url";
import { emulatorInitConfig, serveWeb } from "./serve-web.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const logPath = join(root, "demo-emulators.log");
const tty = process.stdout.isTTY === true;
const started = Date.now();
const interactive = tty && !process.env.CI;
const DEMO_USER = { email: "demo@tvtracker.test", password: "demo-password" };
const DEMO_READY_LINE = "\u0000demo-ready"; // scripts/demo-session.ts
let stopping = false;

/** One status line, with a spinner on a terminal. */
function status(text) {
  const frames = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏";
  let frame = 0;
  const draw = () =>
    process.stdout.write(`\r\x1b[2K${frames[frame++ % frames.length]} ${text} ${((Date.now() - started) / 1000).toFixed(0)} s`);
  const timer = tty ? setInterval(draw, 100) : undefined;
  if (!tty) process.stdout.write(`${text} ...\n`);
  return (detail) => {
    clearInterval(timer);
    process.stdout.write(tty ? `\r\x1b[2K✔ ${text} ${detail}\n` : `  ${detail || "done"}\n`);
  };
}

function showLogTail(why) {
  const lines = readFileSync(logPath, "utf8").trimEnd().split("\n");
  process.stderr.write(`\n${why}. The last lines of ${logPath}:\n${lines.slice(-25).join("\n")}\n`);
}

const log = createWriteStream(logPath);
const logged = { stdio: ["ignore", "pipe", "pipe"] };

let done = status("Building the functions, the client and the web app");
const built = await new Promise((resolve) => {
  const child = spawn(process.platform === "win32" ? "npm.cmd" : "npm", ["run", "build", "--silent"], { cwd: root, ...logged });
  child.stdout.pipe(log, { end: false });
  child.stderr.pipe(log, { end: false });
  child.on("exit", (code) => resolve(code === 0));
});
if (!built) {
  done("failed");
  showLogTail("The build failed");
  process.exit(1);
}
done("");

const socketPath = join(tmpdir(), `tv-tracker-demo-${process.pid}.sock`);
rmSync(socketPath, { force: true });
let sessionStarted = false;
const server = createServer((socket) => {
  if (!sessionStarted) {
    sessionStarted = true;
    done(`(${((Date.now() - started) / 1000).toFixed(0)} s; their log: ${logPath.slice(root.length + 1)})`);
  }
  if (!interactive) {
    socket.pipe(process.stdout, { end: false });
    return;
  }
  // The session's output as it comes (progress bars redraw in place), minus the line that says it is done.
  socket.on("data", (chunk) => {
    const text = chunk.toString("utf8");
    if (!text.includes(DEMO_READY_LINE)) return void process.stdout.write(chunk);
    process.stdout.write(text.replace(`${DEMO_READY_LINE}\n`, ""));
    void openWebApp();
  });
});

/** The sample data is in: serve the web app on the emulators and say where it is. */
async function openWebApp() {
  const offset = Number(process.env.EMULATOR_PORT_OFFSET ?? 0);
  const { url } = await serveWeb({ port: 5300 + offset, config: emulatorInitConfig({ offset, demoUser: DEMO_USER }) });
  const bold = (text) => `\x1b[1m${text}\x1b[22m`;
  process.stdout.write(
    `\n${bold("The web app")}\n  open ${bold(url)} and sign in as ${DEMO_USER.email} / ${DEMO_USER.password} (prefilled),\n` +
      `  or create an account of your own. Everything stays on this machine (the emulators; their log: ${logPath.slice(root.length + 1)}).\n` +
      `  Ctrl-C stops the app and the emulators.\n`,
  );
}
await new Promise((resolve) => server.listen(socketPath, resolve));

const tmdb = process.env.TMDB_API_KEY ? "the real TMDB" : "the offline fake TMDB";
done = status(`Starting the emulator suite (Auth, Firestore, Functions) with ${tmdb}`);
const code = await new Promise((resolve) => {
  const child = spawn(
    process.execPath,
    [join(root, "scripts/with-emulators.mjs"), "--", "node", "--import", "tsx", "scripts/demo-session.ts"],
    {
      cwd: root,
      env: {
        ...process.env,
        DEMO_OUTPUT_SOCKET: socketPath,
        DEMO_TTY: tty ? "1" : "0",
        ...(interactive ? { DEMO_SERVE: "1", DEMO_USER_EMAIL: DEMO_USER.email, DEMO_USER_PASSWORD: DEMO_USER.password } : {}),
      },
      ...logged,
    },
  );
  child.stdout.pipe(log, { end: false });
  child.stderr.pipe(log, { end: false });
  for (const signal of ["SIGINT", "SIGTERM"])
    process.on(signal, () => {
      stopping = true;
      child.kill(signal);
    });
  child.on("exit", (exitCode, signal) => resolve(exitCode ?? (signal ? 1 : 0)));
});
server.close();
rmSync(socketPath, { force: true });
if (!sessionStarted) {
  done("failed");
  showLogTail("The emulators did not start");
} else if (interactive && stopping) {
  process.stdout.write("\nStopped: the web app and the emulators are down.\n");
  log.end();
  process.exit(0);
} else if (code !== 0) {
  process.stderr.write(`\nThe session failed (exit code ${code}); the emulators' log is ${logPath}.\n`);
}
log.end();
process.exit(code);

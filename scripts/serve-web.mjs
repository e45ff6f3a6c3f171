#!/usr/bin/env node
// Serves the built web app (web/dist) the way Firebase Hosting does for this project: static files, the
// SPA rewrite (every other path answers index.html) and `/__/firebase/init.json`. Hosting answers that URL
// with the deployed project's configuration; here it names the demo project and adds where the emulators
// listen (firebase.json's ports plus EMULATOR_PORT_OFFSET), so the same build finds the emulators locally.
//
//   node scripts/serve-web.mjs [--port 5300]      (npm start and the browser tests start it)
import { createServer } from "node:http";
import { existsSync, readFileSync, statSync } from "node:fs";
import { extname, join, normalize } from "node:path";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "web", "dist");
const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".map": "application/json",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
};

/** The app's Firebase configuration for the local emulators (what Hosting's init.json holds, plus `emulators`). */
export function emulatorInitConfig({ offset = Number(process.env.EMULATOR_PORT_OFFSET ?? 0), demoUser } = {}) {
  const { emulators } = JSON.parse(readFileSync(join(root, "firebase.json"), "utf8"));
  const at = (name) => ({ host: emulators[name].host, port: emulators[name].port + offset });
  const projectId = process.env.GCLOUD_PROJECT ?? (offset ? `demo-tvtracker-${offset}` : "demo-tvtracker");
  return {
    projectId,
    apiKey: "demo-api-key",
    authDomain: `${projectId}.firebaseapp.com`,
    appId: "1:000000000000:web:0000000000000000000000",
    emulators: { auth: at("auth"), firestore: at("firestore"), functions: at("functions") },
    ...(demoUser ? { demoUser } : {}),
  };
}

/** Starts the server; resolves with its URL once it listens. */
export function serveWeb({ port = 5300, host = "127.0.0.1", config = emulatorInitConfig() } = {}) {
  if (!existsSync(join(dist, "index.html"))) throw new Error("web/dist is missing: run `npm run build` first");
  const initJson = JSON.stringify(config);
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    if (path === "/__/firebase/init.json") {
      res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" });
      res.end(initJson);
      return;
    }
    const file = normalize(join(dist, path));
    const found = file.startsWith(dist) && existsSync(file) && statSync(file).isFile() ? file : join(dist, "index.html");
    const immutable = found.includes(`${join("dist", "assets")}`);
    res.writeHead(200, {
      "content-type": TYPES[extname(found)] ?? "application/octet-stream",
      "cache-control": immutable ? "public, max-age=31536000, immutable" : "no-cache",
    });
    res.end(readFileSync(found));
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve({ server, url: `http://${host}:${port}` }));
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const portArg = process.argv.indexOf("--port");
  const port = portArg > 0 ? Number(process.argv[portArg + 1]) : 5300 + Number(process.env.EMULATOR_PORT_OFFSET ?? 0);
  // No top-level await: bench/web.ts (CommonJS through tsx) requires this module.
  void serveWeb({ port }).then(({ url }) => console.log(`web app on ${url}`));
}

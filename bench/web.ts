/**
 * The web app's budgets (issue 25), `npm run bench:web` (the last step of `npm run bench`): inside the
 * emulators, with the built app (web/dist) served as Hosting would and opened in Debian's Chromium.
 *
 * - JavaScript for the first screen: every script the browser fetched until the library was on screen,
 *   gzipped (level 9, as Hosting compresses), and the whole build for comparison;
 * - time to the first library render for a user with 300 shows (summary warm): from navigation to all 300
 *   rows on screen, median of 5 page loads of a signed-in session;
 * - Firestore reads for that render: documents the server delivered to the page's listeners (the app counts
 *   them in `window.__tvtrackerStats`), plus 2 per `getLibrary` call it made (the summary and a count, as
 *   `npm run bench -- --only=library` measures).
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { chromium } from "@playwright/test";
import { initializeApp as initializeAdmin } from "firebase-admin/app";
import { getFirestore as adminFirestore, Timestamp } from "firebase-admin/firestore";
import { initializeApp } from "firebase/app";
import { connectAuthEmulator, createUserWithEmailAndPassword, getAuth } from "firebase/auth";
import { connectFunctionsEmulator, getFunctions } from "firebase/functions";
import { createTvTrackerClient } from "@tvtracker/client";
import { serveWeb } from "../scripts/serve-web.mjs";

const SHOWS = 300;
const LOADS = 5;
const offset = Number(process.env.EMULATOR_PORT_OFFSET ?? 0);
const projectId = process.env.GCLOUD_PROJECT ?? "demo-tvtracker";
const root = join(__dirname, "..");
const dist = join(root, "web", "dist");

const gzipped = (file: string) => gzipSync(readFileSync(file), { level: 9 }).length;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

async function seedUser(email: string, password: string): Promise<string> {
  const app = initializeApp({ projectId, apiKey: "demo-api-key" }, "bench-web");
  const auth = getAuth(app);
  connectAuthEmulator(auth, `http://127.0.0.1:${9099 + offset}`, { disableWarnings: true });
  const { user } = await createUserWithEmailAndPassword(auth, email, password);
  const admin = adminFirestore(initializeAdmin({ projectId }, "bench-web-admin"));
  const writer = admin.bulkWriter();
  const watchedAt = Timestamp.fromDate(new Date("2024-03-01T20:00:00Z"));
  for (let i = 0; i < SHOWS; i++) {
    const showId = 7_000_000 + i * 7; // generated shows of the fake TMDB (none ends in 404)
    const episodes = Object.fromEntries([1, 2, 3].map((e) => [`1_${e}`, { watched: true, watchedAt }]));
    void writer.set(admin.doc(`users/${user.uid}/episode_tracking/${showId}`), { showId, episodes, lastWatchedAt: watchedAt });
  }
  await writer.close();
  // The first view computes every entry (cold cache) and writes the summary; the second finds it warm.
  const functions = getFunctions(app, "us-central1");
  connectFunctionsEmulator(functions, "127.0.0.1", 5001 + offset);
  const api = createTvTrackerClient(functions, { timeoutMs: 300_000 });
  const first = await api.getLibrary({ includeHidden: true });
  if (first.shows.length !== SHOWS) throw new Error(`getLibrary answered ${first.shows.length} shows, not ${SHOWS}`);
  await api.getLibrary({ includeHidden: true });
  return user.uid;
}

async function main(): Promise<void> {
  const email = `bench-${Date.now()}@example.com`;
  const password = "bench-password";
  const seedStarted = Date.now();
  await seedUser(email, password);
  console.log(`seeded ${SHOWS} shows and their library summary in ${((Date.now() - seedStarted) / 1000).toFixed(1)} s`);

  const { url, server } = await serveWeb({ port: 5300 + offset });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking"],
  });
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    const scripts = new Set<string>();
    page.on("request", (request) => {
      if (request.resourceType() === "script") scripts.add(new URL(request.url()).pathname);
    });
    await page.goto(url);
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page
      .locator("li.show")
      .nth(SHOWS - 1)
      .waitFor({ timeout: 120_000 });
    const firstScreen = [...scripts].filter((path) => path.startsWith("/assets/"));
    const firstScreenGzip = firstScreen.reduce((n, path) => n + gzipped(join(dist, path)), 0);
    const allJs = readdirSync(join(dist, "assets")).filter((f) => f.endsWith(".js"));
    const allGzip = allJs.reduce((n, f) => n + gzipped(join(dist, "assets", f)), 0);

    const loads: Array<{ ms: number; listenerReads: number; getLibraryCalls: number }> = [];
    for (let i = 0; i < LOADS; i++) {
      const tab = await context.newPage();
      const started = Date.now();
      await tab.goto(url);
      await tab
        .locator("li.show")
        .nth(SHOWS - 1)
        .waitFor({ timeout: 120_000 });
      const ms = Date.now() - started;
      const stats = (await tab.evaluate("window.__tvtrackerStats")) as { listenerReads: number; calls: Record<string, number> };
      loads.push({ ms, listenerReads: stats.listenerReads, getLibraryCalls: stats.calls.getLibrary ?? 0 });
      await tab.close();
    }
    const reads = loads.map((l) => l.listenerReads + 2 * l.getLibraryCalls);
    const result = {
      firstScreenScripts: firstScreen,
      firstScreenJsGzipBytes: firstScreenGzip,
      allJsGzipBytes: allGzip,
      shows: SHOWS,
      firstLibraryRenderMs: loads.map((l) => l.ms),
      firstLibraryRenderMedianMs: median(loads.map((l) => l.ms)),
      firestoreReadsPerRender: reads,
      getLibraryCalls: loads.map((l) => l.getLibraryCalls),
    };
    console.log("\nweb app (issue 25)");
    console.log(
      `  JavaScript for the first screen: ${kb(firstScreenGzip)} gzipped (${firstScreen.length} scripts; all screens: ${kb(allGzip)})`,
    );
    console.log(
      `  first library render, ${SHOWS} shows: median ${result.firstLibraryRenderMedianMs} ms of ${LOADS} loads (${result.firstLibraryRenderMs.join(", ")} ms)`,
    );
    console.log(`  Firestore reads for that render: ${reads.join(", ")} (listener documents + 2 per getLibrary call)`);
    writeFileSync(join(root, "bench", "web-results.json"), `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await browser.close();
    server.close();
  }
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

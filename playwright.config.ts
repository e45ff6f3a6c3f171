import { existsSync } from "node:fs";
import { defineConfig } from "@playwright/test";

/**
 * Browser tests (test/browser/*.spec.ts): the built app (web/dist, served by scripts/serve-web.mjs as
 * Hosting would, with the emulators' addresses in /__/firebase/init.json) in Debian's Chromium
 * (`apt-get install chromium`; Playwright's own browser download is not used). They run inside
 * scripts/with-emulators.mjs, in the same emulator session as Jest under `npm test`.
 */
const offset = Number(process.env.EMULATOR_PORT_OFFSET ?? 0);
const port = 5300 + offset;
const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
if (!existsSync(chromium)) {
  throw new Error(`The browser tests need Chromium at ${chromium}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
}

export default defineConfig({
  testDir: "test/browser",
  testMatch: "**/*.spec.ts",
  // Each test signs up its own users, so tests are independent; one worker keeps the 2-core machine calm.
  workers: 1,
  fullyParallel: false,
  // Generous waits, not thresholds: on a loaded 2-core machine a function's first call in the emulator
  // (a cold worker) can take half a minute.
  timeout: 240_000,
  expect: { timeout: 60_000 },
  reporter: "list",
  outputDir: ".cache/playwright-results",
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    browserName: "chromium",
    viewport: { width: 1200, height: 800 },
    launchOptions: {
      executablePath: chromium,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
    trace: "retain-on-failure",
  },
  webServer: {
    command: `node scripts/serve-web.mjs --port ${port}`,
    url: `http://127.0.0.1:${port}/__/firebase/init.json`,
    reuseExistingServer: false,
    stdout: "ignore",
  },
});

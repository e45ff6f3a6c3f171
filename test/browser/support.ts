import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";
import { showSpecFor } from "../../tools/fake-tmdb/catalog";

/** The README's screenshots: every browser test run rewrites them, so they show the app as it is. */
export const SCREENSHOTS = join(__dirname, "..", "..", "docs", "screenshots");
mkdirSync(SCREENSHOTS, { recursive: true });

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

/** A show id of the fake TMDB's generated catalogue that no other run uses (ids ending in 404 do not exist). */
export function freshShowId(): number {
  const id = 3_000_000 + Math.floor(Math.random() * 5_000_000);
  return String(id).endsWith("404") ? id + 1 : id;
}

/** Aired regular episodes of a generated show (all of them: the catalogue's seasons aired years ago). */
export function airedEpisodes(showId: number): number {
  const spec = showSpecFor(showId);
  if (!spec) throw new Error(`the fake TMDB has no show ${showId}`);
  return spec.seasons.reduce((sum, season) => sum + season.episodes, 0);
}

export async function signInAnonymously(page: Page): Promise<void> {
  await page.goto("/");
  await page.getByRole("button", { name: "Continue without an account" }).click();
  await expect(page.getByRole("heading", { name: "Library" })).toBeVisible();
}

/** Creates an email/password account through the sign-in screen. */
export async function signUp(page: Page, prefix = "viewer"): Promise<string> {
  const email = `${prefix}-${randomUUID().slice(0, 8)}@example.com`;
  await page.goto("/");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("correct-horse-battery");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("heading", { name: "Library" })).toBeVisible();
  return email;
}

/** Opens a screen through the navigation bar (a client-side route change: no reload). */
export async function openScreen(page: Page, name: string): Promise<void> {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name, exact: true }).click();
}

/** Drops a file on the Move in screen's drop zone, as a user dragging it from their file manager. */
export async function dropFile(page: Page, name: string, bytes: Buffer | { zeroBytes: number }): Promise<void> {
  const source =
    "zeroBytes" in bytes
      ? `new Uint8Array(${bytes.zeroBytes})`
      : `Uint8Array.from(atob(${JSON.stringify(bytes.toString("base64"))}), (c) => c.charCodeAt(0))`;
  const dataTransfer = await page.evaluateHandle(
    `(() => { const dt = new DataTransfer(); dt.items.add(new File([${source}], ${JSON.stringify(name)})); return dt; })()`,
  );
  await page.dispatchEvent("[data-testid=dropzone]", "drop", { dataTransfer });
}

/** axe-core on the page as it is: no serious or critical violation. */
export async function expectAccessible(page: Page): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const bad = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(bad.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
}

/** A marker on `window` that a reload would lose: to prove a change arrived live. */
export async function markPage(page: Page): Promise<void> {
  await page.evaluate("window.__noReload = true");
}
export async function expectNoReload(page: Page): Promise<void> {
  expect(await page.evaluate("window.__noReload === true")).toBe(true);
}

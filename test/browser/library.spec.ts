import { expect, test } from "@playwright/test";
import { airedEpisodes, expectNoReload, freshShowId, markPage, openScreen, screenshot, signInAnonymously } from "./support";

test("marking an episode changes “X/Y episodes” and up next live, on the show and in the library, without a reload", async ({ page }) => {
  const showId = freshShowId();
  const aired = airedEpisodes(showId);
  await signInAnonymously(page);
  await page.goto(`/show/${showId}`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Show ${showId}`);
  await markPage(page);

  await page.getByRole("checkbox", { name: /S01E01/ }).check();
  await expect(page.getByTestId("show-label")).toHaveText(`1/${aired} episodes`);
  await expect(page.getByTestId("show-next")).toHaveText(`Up next S01E02 “S1E2 of Show ${showId}”`);

  await page.getByRole("checkbox", { name: /S01E02/ }).check();
  await expect(page.getByTestId("show-label")).toHaveText(`2/${aired} episodes`);
  await expect(page.getByTestId("show-next")).toHaveText(`Up next S01E03 “S1E3 of Show ${showId}”`);
  await expect(page.getByRole("checkbox", { name: /S01E02/ })).toBeChecked();
  await screenshot(page, "show");

  await openScreen(page, "Library");
  const row = page
    .getByRole("list", { name: "Shows" })
    .getByRole("listitem")
    .filter({ hasText: `Show ${showId}` });
  await expect(row).toContainText(`2/${aired} episodes`);
  await expect(row).toContainText("Up next S01E03");

  // Unmarking goes the other way, live as well.
  await row.getByRole("link", { name: `Show ${showId}` }).click();
  await page.getByRole("checkbox", { name: /S01E02/ }).uncheck();
  await expect(page.getByTestId("show-label")).toHaveText(`1/${aired} episodes`);
  await expect(page.getByTestId("show-next")).toHaveText(`Up next S01E02 “S1E2 of Show ${showId}”`);
  await expectNoReload(page);
});

import { expect, test } from "@playwright/test";
import { tvTimeExport } from "../../tools/exports/tvtime";
import { airedEpisodes, dropFile, expectNoReload, freshShowId, markPage, openScreen, screenshot, signInAnonymously } from "./support";

const IMPORT_TIMEOUT = { timeout: 120_000 };

test("moving in: dropping a TV Time export ZIP fills the library with its shows and their progress", async ({ page }) => {
  const first = freshShowId();
  const second = freshShowId();
  const { zip, plays } = tvTimeExport([
    {
      showId: first,
      name: `Show ${first}`,
      watched: [
        [1, 1],
        [1, 2],
        [1, 3],
      ],
      rewatched: [[1, 1, 1]],
    },
    {
      showId: second,
      name: `Show ${second}`,
      watched: [
        [1, 1],
        [1, 2],
      ],
    },
  ]);
  await signInAnonymously(page);
  await expect(page.getByText("Nothing tracked yet")).toBeVisible();
  await openScreen(page, "Move in");
  await markPage(page);

  await dropFile(page, "tvtime-export.zip", zip);
  const job = page.getByTestId("import");
  await expect(job).toHaveAttribute("data-status", "done", IMPORT_TIMEOUT);
  await expect(page.getByTestId("import-counts")).toContainText(`${plays} plays added, 0 duplicates, 2 shows`);
  await screenshot(page, "move-in");

  await openScreen(page, "Library");
  const rows = page.getByRole("list", { name: "Shows" }).getByRole("listitem");
  await expect(rows).toHaveCount(2);
  await expect(rows.filter({ hasText: `Show ${first}` })).toContainText(`3/${airedEpisodes(first)} episodes`);
  await expect(rows.filter({ hasText: `Show ${first}` })).toContainText("Up next S01E04");
  await expect(rows.filter({ hasText: `Show ${second}` })).toContainText(`2/${airedEpisodes(second)} episodes`);
  await screenshot(page, "library");
  await expectNoReload(page);
});

test("moving in: a file that is not an export, and one over the size limit, show a clear error and change nothing", async ({ page }) => {
  await signInAnonymously(page);
  await openScreen(page, "Move in");

  await dropFile(page, "holiday-notes.txt", Buffer.from("Remember to pack the charger.\n"));
  await expect(page.getByRole("alert")).toContainText("holiday-notes.txt", IMPORT_TIMEOUT);
  await expect(page.getByRole("alert")).toContainText("Nothing was imported");
  await screenshot(page, "move-in-error");

  await dropFile(page, "huge-export.zip", { zeroBytes: 60 * 1024 * 1024 });
  await expect(page.getByRole("alert")).toContainText(
    "huge-export.zip is 60 MB: an export file can be 50 MB at most. Nothing was imported.",
  );

  await openScreen(page, "Library");
  await expect(page.getByText("Nothing tracked yet")).toBeVisible();
});

import { expect, test } from "@playwright/test";
import { expectAccessible, freshShowId, openScreen, screenshot, signUp } from "./support";

/**
 * Every screen, as a user with a show in their library: it renders, axe-core finds no serious or critical
 * violation, and its screenshot for the README is saved.
 */
test("every screen renders and passes axe-core (no serious or critical violations)", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("button", { name: "Continue without an account" })).toBeVisible();
  await expectAccessible(page);
  await screenshot(page, "sign-in");

  await signUp(page);
  const showId = freshShowId();
  await page.goto(`/show/${showId}`);
  await page.getByRole("button", { name: "Mark season 1 watched" }).click();
  await expect(page.getByRole("button", { name: "Unmark season 1" })).toBeVisible();
  await expect(page.getByTestId("show-label")).toContainText("episodes");
  await expectAccessible(page);

  // The episode panel: reactions and sharing.
  await page.getByRole("button", { name: "React · share S01E01" }).click();
  await page.getByRole("button", { name: "love 0" }).click();
  await expect(page.getByRole("button", { name: "love 1" })).toHaveAttribute("aria-pressed", "true");
  await expectAccessible(page);
  await page.getByRole("button", { name: "Close" }).click();

  const screens: Array<[nav: string, heading: string, ready: string, file: string]> = [
    ["Library", "Library", `Show ${showId}`, "library"],
    ["Continue watching", "Continue watching", "Up next", "continue-watching"],
    ["Calendar", "Calendar", "In your calendar app", "calendar"],
    ["Move in", "Move in", "Drop your export file here", "move-in-empty"],
    ["Household", "Household", "Household", "household"],
    ["Friends", "Friends", "Conversations", "friends"],
    ["Settings", "Settings", "Delete my account", "settings"],
  ];
  for (const [nav, heading, ready, file] of screens) {
    await openScreen(page, nav);
    await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
    await expect(page.getByText(ready).first()).toBeVisible();
    await expect(page.locator("[aria-busy=true]")).toHaveCount(0);
    await expectAccessible(page);
    // The library's screenshot is moveIn.spec.ts's (two imported shows); the household's is household.spec.ts's.
    if (file !== "household" && file !== "library") await screenshot(page, file);
  }

  // The calendar's iCal link.
  await openScreen(page, "Calendar");
  await page.getByRole("button", { name: "Create my iCal link" }).click();
  await expect(page.getByLabel("iCal link")).toHaveValue(/calendarFeed\/.+\.ics$/);

  // A Plex webhook with its setup instructions.
  await openScreen(page, "Settings");
  await page.getByRole("button", { name: "Create webhook URL" }).click();
  await expect(page.getByLabel("Webhook URL")).toHaveValue(/mediaServerWebhook\//);
  await expect(page.getByText("Settings → Webhooks")).toBeVisible();
  await expect(page.getByRole("list", { name: "Webhooks" }).getByRole("listitem")).toHaveCount(1);
  // Push on this browser needs FCM, which has no emulator: the button says so instead of failing later.
  const push = page.getByRole("button", { name: "Notify me on this browser" });
  await expect(push).toBeDisabled();
  await expect(push).toHaveAccessibleDescription(/Firebase Cloud Messaging has no emulator/);
  await expectAccessible(page);
  await screenshot(page, "settings");
});

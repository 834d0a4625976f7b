import { expect, test } from "@playwright/test";
import { demoUsers, RankwiseApp } from "./pages/rankwise";

test.describe("app shell", () => {
  test("header shows the simulated model badge", async ({ page }) => {
    const app = new RankwiseApp(page);

    await app.signIn(demoUsers.viewer);

    await expect(page.getByTestId("simulated-model-badge")).toHaveText("Simulated model");
  });

  test("workspace switcher keeps the current section", async ({ page }) => {
    const app = new RankwiseApp(page);
    await app.signIn(demoUsers.admin);
    const demoWorkspaceId = app.currentWorkspaceId();
    await app.mainNav.getByRole("link", { name: "Runs" }).click();
    await page.waitForURL(`**/w/${demoWorkspaceId}/runs`);

    await page.getByLabel("Workspace").selectOption({ label: "Outsider workspace" });

    await page.waitForURL(
      (url) => /^\/w\/[0-9a-f-]+\/runs$/.test(url.pathname) && !url.pathname.includes(demoWorkspaceId),
    );
    await expect(page.getByRole("heading", { name: "Runs", level: 1 })).toBeVisible();
  });

  test("skip link moves focus to the main content", async ({ page }) => {
    const app = new RankwiseApp(page);
    await app.signIn(demoUsers.pm);
    // A fresh load, so keyboard focus starts at the top of the document.
    await page.reload();

    await page.keyboard.press("Tab");
    const skipLink = page.getByRole("link", { name: "Skip to content" });
    await expect(skipLink).toBeFocused();
    await page.keyboard.press("Enter");

    await expect(page).toHaveURL(/#main$/);
  });
});

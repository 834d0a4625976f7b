import { expect, test } from "@playwright/test";
import { demoUsers, RankwiseApp } from "./pages/rankwise";

test.describe("language", () => {
  test("viewer switches to French and back", async ({ page }) => {
    const app = new RankwiseApp(page);
    await app.signIn(demoUsers.viewer);

    try {
      await app.switchLanguage("Français");

      await expect(page.locator("html")).toHaveAttribute("lang", "fr");
      expect(await app.navLinkNames()).toEqual([
        "Backlog",
        "Prioriser",
        "Retours clients",
        "Connaissances",
        "Exécutions",
      ]);
      await page.reload();
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Backlog");
      await expect(app.userMenuButton).toHaveAccessibleName(/Ouvrir le menu utilisateur/);
    } finally {
      // The choice is stored on the user; restore it so other specs see English.
      await app.switchLanguage("English");
    }

    await expect(page.locator("html")).toHaveAttribute("lang", "en");
  });

  test("browser language applies before sign-in", async ({ browser, baseURL }) => {
    const context = await browser.newContext({ baseURL, locale: "fr-FR" });
    const page = await context.newPage();

    await page.goto("/signin");

    await expect(page.getByRole("heading", { name: "Connexion" })).toBeVisible();
    await expect(page.locator("html")).toHaveAttribute("lang", "fr");
    await context.close();
  });
});

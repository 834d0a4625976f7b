import { expect, type Locator, test } from "@playwright/test";
import { demoUsers, RankwiseApp } from "./pages/rankwise";

/** The e2e server's model simulator (SIMULATOR_PORT in playwright.config.ts). */
const simulatorUrl = "http://127.0.0.1:3199";

/** The line of the French user template that feeds `$inputs_to_propose`, the only place it is used. */
const INPUTS_LINE = "$inputs_to_propose\n";

test.describe("prompt admin", () => {
  test.beforeEach(async ({ request }) => {
    await request.post(`${simulatorUrl}/__sim/faults`, { data: { rules: [] } });
  });

  test("edit, check, test and publish French, then run it as a PM", async ({ page }) => {
    test.setTimeout(240_000);
    const app = new RankwiseApp(page);
    await app.signIn(demoUsers.editor);
    const workspaceId = app.currentWorkspaceId();
    const french = page.getByRole("region", { name: "French", exact: true });
    const template = french.getByLabel("User template");
    const checks = (pane: Locator) =>
      pane.locator("section").filter({ has: page.getByRole("heading", { name: "Checks" }) });
    let original = "";

    await test.step("open the prioritizer prompt from the list", async () => {
      await page.goto("/admin/prompts");
      await expect(page.getByTestId("prompt-row-prioritizer-fr")).toContainText("v1");
      await page.getByRole("link", { name: "prioritizer", exact: true }).click();
      await expect(page.getByRole("heading", { name: "Prompt prioritizer" })).toBeVisible();
      await expect(page.getByRole("region", { name: "English", exact: true })).toBeVisible();
      original = await template.inputValue();
      expect(original).toContain(INPUTS_LINE);
    });

    await test.step("drop a variable and see the lint and the blocked publish", async () => {
      await template.fill(original.replace(INPUTS_LINE, ""));

      await expect(checks(french)).toContainText(
        "$inputs_to_propose is missing here but used in the English text. Every language must use the same variables.",
      );
      await french.getByRole("button", { name: "Publish…" }).click();
      const dialog = french.getByRole("region", { name: "Publish" });
      await expect(dialog).toContainText("Publishing is blocked: fix the problems listed under Checks first.");
      await expect(dialog.getByRole("button", { name: "Publish", exact: true })).toBeDisabled();
      await dialog.getByRole("button", { name: "Cancel" }).click();
    });

    await test.step("fix it and preview the exact messages", async () => {
      await template.fill(original.replace("ci-dessous", "suivants"));
      await expect(checks(french)).toContainText("No problems found.");

      await french.getByRole("button", { name: "Preview" }).click();
      const preview = page.getByRole("region", { name: "Preview of the French text" });
      await expect(preview).toContainText("Every placeholder is filled.");
      await expect(preview.getByTestId("preview-user")).toContainText("éléments du backlog suivants");
      await expect(preview.getByTestId("preview-user")).toContainText("- reach: a whole number");
      await expect(preview).toContainText("simulated");
    });

    await test.step("save version 2 and run the test cases on it", async () => {
      await french.getByRole("button", { name: "Save version…" }).click();
      await french.getByLabel("What changed and why").fill("Plus clair : « suivants »");
      await french.getByRole("button", { name: "Save version", exact: true }).click();
      await expect(french.getByText("Saved as version 2.")).toBeVisible();

      await page.getByRole("button", { name: "Run all test cases" }).click();
      const matrix = page.locator("caption").filter({ hasText: "Run all" });
      await expect(matrix).toContainText("finished", { timeout: 120_000 });
      await expect(matrix).toContainText("6 passed, 0 failed, 0 errors, 0 waiting");
    });

    await test.step("publish version 2 through the test gate", async () => {
      await french.getByRole("button", { name: "Publish…" }).click();
      const dialog = french.getByRole("region", { name: "Publish" });
      await expect(dialog).toContainText("✓ The preview has no unresolved placeholder.");
      await expect(dialog).toContainText("✓ Every test case passed on version 2.");
      await dialog.getByLabel("Note (optional)").fill("Relu par l’équipe française");
      await dialog.getByRole("button", { name: "Publish", exact: true }).click();
      await expect(french.getByText("Version 2 of the French text is live.")).toBeVisible();

      await page.goto("/admin/prompts");
      await expect(page.getByTestId("prompt-row-prioritizer-fr")).toContainText("v2");
      await expect(page.getByTestId("prompt-row-prioritizer-fr")).toContainText("3/3 passed on v2");
    });

    await test.step("as a PM, run AI prioritization in French and see version 2 in the run", async () => {
      await app.signOut();
      await app.signIn(demoUsers.pm);
      await page.goto(`/w/${workspaceId}/prioritize`);
      await page.getByRole("combobox", { name: "Framework" }).selectOption("wsjf");
      await page.getByRole("combobox", { name: "Language of the rationales" }).selectOption("fr");
      await page.getByRole("button", { name: "Prioritize with AI" }).click();
      await page.waitForURL(/\/prioritize\?run=[0-9a-f-]{36}$/);
      const runId = new URL(page.url()).searchParams.get("run");
      await expect(page.getByTestId("run-status")).toHaveAttribute("data-status", /^(completed|partial)$/, {
        timeout: 120_000,
      });

      await page.goto(`/w/${workspaceId}/runs/${runId}`);
      const call = page.getByRole("main").locator("details").filter({ hasText: "prioritizer version" }).first();
      await call.locator("summary").click();
      await expect(call).toContainText("prioritizer version 2 (French)");
    });
  });
});

import { expect, test } from "@playwright/test";
import { demoUsers, RankwiseApp } from "./pages/rankwise";

/** The e2e server's model simulator (SIMULATOR_PORT in playwright.config.ts). */
const simulatorUrl = "http://127.0.0.1:3199";

test.describe("partial AI prioritization run", () => {
  test.afterEach(async ({ request }) => {
    await request.post(`${simulatorUrl}/__sim/faults`, { data: { rules: [] } });
  });

  test("ends partial and completes after retrying failed batches", async ({ page, request }) => {
    test.setTimeout(120_000);
    // Every model request for the Visualization batch gets a server error. A retry skips batches that
    // the content filter stopped, so this test uses an error that a retry can clear.
    const faults = await request.post(`${simulatorUrl}/__sim/faults`, {
      data: { rules: [{ match: '"theme":"Visualization"', fault: "server_error" }] },
    });
    expect(faults.ok()).toBe(true);

    const app = new RankwiseApp(page);
    await app.signIn(demoUsers.pm);
    await page.goto(`/w/${app.currentWorkspaceId()}/prioritize`);

    // A start that the task's own check rejects returns that check's 4xx, on the production build too.
    const rejected = await page.evaluate(async (workspaceId) => {
      const response = await fetch(`/api/v1/workspaces/${workspaceId}/prioritizations`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ themes: ["No such theme"] }),
      });
      return { status: response.status, body: await response.json() };
    }, app.currentWorkspaceId());
    expect(rejected.status).toBe(400);
    expect(rejected.body.error.details.field).toBe("themes");
    await page.getByRole("radio", { name: "Themes" }).check();
    for (const theme of ["Integrations", "Versioning", "Visualization"]) {
      await page.getByRole("checkbox", { name: theme, exact: true }).check();
    }
    // An earlier spec's run left proposals of these items awaiting review; propose them again.
    await page.getByText("Batch settings").click();
    await page.getByRole("checkbox", { name: "Also propose inputs that already have a proposal" }).check();
    await page.getByRole("button", { name: "Prioritize with AI" }).click();
    await page.waitForURL(/\/prioritize\?run=[0-9a-f-]{36}$/);

    const status = page.getByTestId("run-status");
    const failedBatch = page.locator('[data-batch-label="Visualization"]');
    await expect(status).toHaveAttribute("data-status", "partial", { timeout: 90_000 });
    await expect(failedBatch.getByTestId("batch")).toHaveAttribute("data-batch-status", "failed");
    await expect(failedBatch.getByTestId("batch-error")).toHaveAttribute("data-error-code", "server_error");
    await expect(failedBatch.getByTestId("proposal")).toHaveCount(0);
    for (const theme of ["Integrations", "Versioning"]) {
      await expect(page.locator(`[data-batch-label="${theme}"]`).getByTestId("proposal").first()).toBeVisible();
    }

    await request.post(`${simulatorUrl}/__sim/faults`, { data: { rules: [] } });
    await page.getByRole("button", { name: "Retry failed batches (1)" }).click();

    await expect(status).toHaveAttribute("data-status", "completed", { timeout: 90_000 });
    await expect(failedBatch.getByTestId("batch")).toHaveAttribute("data-batch-status", "succeeded");
    await expect(failedBatch.getByTestId("proposal").first()).toBeVisible();
    await expect(page.getByRole("button", { name: /^Retry failed batches/ })).toHaveCount(0);
  });
});

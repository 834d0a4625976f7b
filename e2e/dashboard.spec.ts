import fs from "node:fs";
import path from "node:path";
import { expect, type Locator, type Page, test } from "@playwright/test";
import { demoUsers, RankwiseApp } from "./pages/rankwise";

/** The e2e server's model simulator (SIMULATOR_PORT in playwright.config.ts). */
const simulatorUrl = "http://127.0.0.1:3199";
const backlogCsv = path.join(process.cwd(), "db", "seed", "backlog-en.csv");

/** Read a progress bar's current value and maximum. */
async function readProgress(page: Page, name: string): Promise<{ now: number; max: number }> {
  const bar = page.getByRole("progressbar", { name, exact: true });
  return {
    now: Number(await bar.getAttribute("aria-valuenow")),
    max: Number(await bar.getAttribute("aria-valuemax")),
  };
}

/** Find the line of a rank-change list about one item, by its ref, because other lines may name it as a passer. */
function changeLine(list: Locator, ref: string): Locator {
  return list
    .getByTestId("rank-change")
    .filter({ has: list.page().getByTestId("rank-change-ref").getByText(ref, { exact: true }) });
}

test.describe("PM dashboard", () => {
  test.beforeEach(async ({ request }) => {
    await request.post(`${simulatorUrl}/__sim/faults`, { data: { rules: [] } });
  });

  test("import, rank, prioritize with AI, review and export", async ({ page }) => {
    test.setTimeout(180_000);
    const app = new RankwiseApp(page);
    await app.signIn(demoUsers.pm);
    const workspaceId = app.currentWorkspaceId();
    const main = page.getByRole("main");

    await test.step("import backlog-en.csv", async () => {
      await main.getByRole("link", { name: "Import CSV" }).click();
      await page.getByLabel("CSV file").setInputFiles(backlogCsv);

      await expect(page.getByTestId("import-summary")).toHaveText(/^60 rows, 60 valid, 0 with errors/);
      await expect(page.getByRole("combobox", { name: "Title" })).toHaveValue("1");
      await expect(page.getByText("Every row is valid.")).toBeVisible();
      await page.getByRole("button", { name: "Import 60 rows" }).click();

      await expect(page.getByTestId("import-result")).toHaveText(
        "Import done: 0 created, 0 updated, 60 unchanged, 0 skipped.",
      );
      await page.getByRole("link", { name: "Open the backlog" }).click();
    });

    await test.step("see the instant RICE ranking with items that need input", async () => {
      await expect(main.getByRole("heading", { name: "Ranking by RICE (20)" })).toBeVisible();
      await expect(main.getByRole("heading", { name: "Needs input (40)" })).toBeVisible();
      await expect(page.getByTestId("ranked-row").first().getByTestId("rank")).toHaveText("#1");
      const a02 = page.locator('[data-testid="needs-input-row"][data-item-ref="A02"]');
      await expect(a02.getByRole("listitem")).toHaveText(["Reach", "Impact", "Confidence", "Effort"]);
      await expect(page.getByTestId("ranked-row").first().locator("[data-source]").first()).toHaveText("Import");
    });

    await test.step("run AI prioritization and watch it stream", async () => {
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Prioritize" }).click();
      await expect(page.getByRole("combobox", { name: "Language of the rationales" })).toHaveValue("en");
      await page.getByRole("button", { name: "Prioritize with AI" }).click();
      await page.waitForURL(/\/prioritize\?run=[0-9a-f-]{36}$/);
      await expect(main.getByTestId("simulated-model-badge")).toBeVisible();

      // Intermediate states: some batches done but not all, and proposals shown while it runs.
      await expect
        .poll(async () => {
          const { now, max } = await readProgress(page, "Overall progress");
          return max > 1 && now > 0 && now < max;
        })
        .toBe(true);
      await expect(page.getByTestId("proposal").first()).toBeVisible();
      expect(await page.getByTestId("run-status").getAttribute("data-status")).toBe("running");

      // Leave the page and come back without the run id: it re-attaches to the running run.
      const runUrl = page.url();
      await page.goto(`/w/${workspaceId}/backlog`);
      await page.goto(`/w/${workspaceId}/prioritize`);
      await expect(page.getByRole("link", { name: /, Running, by Pat PM$/ })).toHaveAttribute(
        "href",
        new URL(runUrl).pathname + new URL(runUrl).search,
      );
      await expect(page.getByTestId("proposal").first()).toBeVisible();

      await expect(page.getByTestId("run-status")).toHaveAttribute("data-status", "completed", { timeout: 90_000 });
      const { now, max } = await readProgress(page, "Overall progress");
      expect(now).toBe(max);
    });

    await test.step("accept a batch", async () => {
      const exportBatch = page.locator('[data-batch-label="Export"]');
      await exportBatch.getByRole("button", { name: /^Accept the batch/ }).click();

      const last = page.getByTestId("last-changes");
      await expect(changeLine(last, "A02")).toContainText("needs input → #");
      await expect(changeLine(last, "A02")).toContainText("(AI, cites AF");
      await expect(exportBatch.locator('[data-testid="proposal"][data-status="accepted"]').first()).toBeVisible();
    });

    await test.step("override one input with a reason", async () => {
      const a03 = page.locator('[data-testid="item-proposals"][data-item-ref="A03"]');
      const reach = a03.locator('[data-testid="proposal"][data-input="reach"]');
      await reach.getByRole("button", { name: "Override Reach of A03" }).click();
      await reach.getByLabel("Reach value").fill("100000000");
      await reach.getByRole("button", { name: "Save my value" }).click();
      await expect(reach.getByText("Give a short reason for this value.")).toBeVisible();

      await reach.getByLabel("Reason (required)").fill("Sales call with three enterprise customers");
      await reach.getByRole("button", { name: "Save my value" }).click();

      const line = changeLine(page.getByTestId("last-changes"), "A03");
      await expect(line).toContainText("→ #1: Reach");
      await expect(line).toContainText("→ 100,000,000 (PM, reason: Sales call with three enterprise customers)");
      await expect(a03.getByTestId("item-rank")).toHaveText("now #1");
      // The run's own view shows what its accepted proposals moved, without the PM's override.
      const runEffect = changeLine(page.getByTestId("comparison-changes"), "A03");
      await expect(runEffect).toContainText("(AI, cites AF");
      await expect(runEffect).not.toContainText("(PM, reason");
    });

    await test.step("set a PM value over a pending proposal", async () => {
      const acceptable = page
        .locator('[data-testid="proposal"][data-status="proposed"]')
        .filter({ has: page.getByRole("button", { name: /^Accept .+ of / }) });
      const item = page.locator('[data-testid="item-proposals"]').filter({ has: acceptable }).first();
      const itemRef = await item.getAttribute("data-item-ref");
      const input = await item.locator(acceptable).first().getAttribute("data-input");
      const proposal = page.locator(
        `[data-testid="item-proposals"][data-item-ref="${itemRef}"] [data-testid="proposal"][data-input="${input}"]`,
      );
      await proposal.getByRole("button", { name: /^Override .+ of / }).click();
      await proposal.getByLabel("Reason (required)").fill("Measured in the last release");
      await proposal.getByRole("button", { name: "Save my value" }).click();

      // The PM value wins over the proposal, so saving it settles the proposal as rejected.
      await expect(proposal).toHaveAttribute("data-status", "rejected");
      await expect(proposal.getByRole("button", { name: /^Accept .+ of / })).toHaveCount(0);
    });

    await test.step("see the history and export CSV", async () => {
      await page.goto(`/w/${workspaceId}/backlog`);
      await expect(page.getByTestId("ranked-row").first()).toHaveAttribute("data-item-ref", "A03");

      await page.getByTestId("ranked-row").first().getByRole("link").click();
      const reachHistory = page.getByRole("region", { name: "History of Reach" });
      await expect(reachHistory.getByTestId("history-entry").first()).toContainText(
        "Sales call with three enterprise customers",
      );
      await expect(reachHistory.locator('[data-testid="history-entry"][data-source="ai"]')).toContainText("Accepted");
      await expect(reachHistory.getByTestId("evidence-link").first()).toHaveText(/^AF\d{3}$/);

      await page.goto(`/w/${workspaceId}/backlog`);
      const downloading = page.waitForEvent("download");
      await main.getByRole("link", { name: "Export CSV" }).click();
      const download = await downloading;
      const csv = fs.readFileSync((await download.path()) ?? "", "utf8");
      // The export starts with a byte order mark for spreadsheets.
      const lines = csv.replace(/^\uFEFF/, "").split(/\r?\n/);

      expect(lines[0]).toMatch(/^rank,number,id,title,/);
      expect(lines[1]).toMatch(/^1,\d+,A03,/);
      expect(lines[1]).toContain("100000000,pm");
    });
  });
});

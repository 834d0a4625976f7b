import { expect, type Page, test } from "@playwright/test";
import { demoUsers, RankwiseApp } from "./pages/rankwise";

/** The e2e server's model simulator (SIMULATOR_PORT in playwright.config.ts). */
const simulatorUrl = "http://127.0.0.1:3199";

interface RankingResponse {
  ranked: Array<{ rank: number; item: { ref: string; title: string } }>;
}

interface StreamSnapshot {
  length: number;
  streaming: boolean;
}

function workspaceIdOf(page: Page): string {
  const match = page.url().match(/\/w\/([0-9a-f-]{36})\//);
  if (!match?.[1]) throw new Error(`No workspace id in ${page.url()}`);
  return match[1];
}

/**
 * Record the answer's text length at every DOM change, with whether the Stop button was shown at
 * that moment. The test then checks the states the user saw instead of sleeping.
 */
async function recordAnswerStates(page: Page): Promise<void> {
  await page.evaluate(() => {
    const states: Array<{ length: number; streaming: boolean }> = [];
    (window as unknown as { answerStates: typeof states }).answerStates = states;
    const observer = new MutationObserver(() => {
      const answers = document.querySelectorAll("[data-answer-text]");
      const last = answers[answers.length - 1];
      if (!last) return;
      const length = (last.textContent ?? "").length;
      const streaming = [...document.querySelectorAll("button")].some(
        (button) => button.textContent?.trim() === "Stop",
      );
      if (states.at(-1)?.length !== length) states.push({ length, streaming });
    });
    observer.observe(document.body, { subtree: true, childList: true, characterData: true });
  });
}

test.describe("chat", () => {
  test("streams a cited answer whose citation opens the chunk", async ({ page }) => {
    const app = new RankwiseApp(page);
    await app.signIn(demoUsers.pm);
    const workspaceId = workspaceIdOf(page);

    const ranking = (await (
      await page.request.get(`/api/v1/workspaces/${workspaceId}/ranking`)
    ).json()) as RankingResponse;
    const first = ranking.ranked[0]?.item;
    expect(first, "the demo backlog has a ranked item").toBeDefined();

    // The server chunks and embeds the seeded feedback at start-up; wait for that job to finish.
    await expect
      .poll(async () => {
        const body = await (await page.request.get(`/api/v1/workspaces/${workspaceId}/documents/indexing`)).json();
        return body.job?.status;
      })
      .toBe("completed");

    await page.goto(`/w/${workspaceId}/chat`);
    await expect(page.getByRole("heading", { name: "Chat", level: 1 })).toBeVisible();
    await recordAnswerStates(page);

    await page.getByLabel("Your question").fill(`Why is ${first?.ref} ranked first?`);
    await page.getByRole("button", { name: "Ask" }).click();

    const answer = page.getByRole("article", { name: "Rankwise" }).last();
    await expect(page.getByRole("button", { name: "Regenerate" })).toBeVisible();
    await expect(answer).toContainText(first?.ref ?? "");
    // The new conversation shows the time of the ranking its answers use, without a reload.
    await expect(page.getByTestId("ranking-snapshot-time")).toContainText(
      "Answers in this conversation use the ranking as of",
    );

    const states = await page.evaluate(() => (window as unknown as { answerStates: StreamSnapshot[] }).answerStates);
    const finalLength = states.at(-1)?.length ?? 0;
    const partial = states.filter((state) => state.length > 0 && state.length < finalLength);
    expect(partial.length, "the answer grew in several visible steps").toBeGreaterThanOrEqual(2);
    expect(
      partial.some((state) => state.streaming),
      "a partial answer was shown while streaming",
    ).toBe(true);

    const citation = answer.locator("[data-citation]").first();
    await expect(citation).toBeVisible();
    const number = await citation.getAttribute("data-citation");
    await citation.click();

    const cited = answer.locator(`[data-source="${number}"] [data-cited-chunk]`);
    await expect(cited).toBeVisible();
    const chunkText = ((await cited.textContent()) ?? "").replace("Open in document", "").trim();
    expect(chunkText.length).toBeGreaterThan(10);

    await cited.getByRole("link", { name: "Open in document" }).click();
    await page.waitForURL(/\/knowledge\/[0-9a-f-]{36}\?chunk=/);
    const highlighted = page.locator('li[aria-current="true"]');
    await expect(highlighted).toBeVisible();
    await expect(highlighted).toContainText(chunkText.slice(0, 40));
    await expect(highlighted).toContainText("Cited chunk");
  });

  test("marks a stopped answer without a reload", async ({ page, request }) => {
    const question = "Which item should the stop test look at?";
    // Chat requests (the only ones whose prompt has a sources block) are accepted and never
    // answered, so the answer is still open when Stop is clicked. Embedding requests still work.
    const faults = await request.post(`${simulatorUrl}/__sim/faults`, {
      data: { rules: [{ match: "</sources>", fault: "hang" }] },
    });
    expect(faults.ok()).toBe(true);
    try {
      const app = new RankwiseApp(page);
      await app.signIn(demoUsers.pm);
      await page.goto(`/w/${workspaceIdOf(page)}/chat`);

      await page.getByLabel("Your question").fill(question);
      await page.getByRole("button", { name: "Ask" }).click();
      // The sources arrive before the model's first token, so the answer exists when it is stopped.
      await expect(page.getByRole("article", { name: "Rankwise" }).last()).toBeVisible();
      await page.getByRole("button", { name: "Stop", exact: true }).click();

      await expect(page.getByText("You stopped this answer.")).toBeVisible();
      await expect(page.getByRole("button", { name: "Stop", exact: true })).toHaveCount(0);
    } finally {
      await request.post(`${simulatorUrl}/__sim/faults`, { data: { rules: [] } });
    }
  });
});

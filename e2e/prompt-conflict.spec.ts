import { expect, test } from "@playwright/test";
import { demoUsers, RankwiseApp } from "./pages/rankwise";

const EDITOR_SENTENCE = "Keep the summary under 80 words.";
const ADMIN_SENTENCE = "Name the largest customer segment first.";

test.describe("prompt edit conflict", () => {
  test("the second publish gets the conflict screen and the first text stays", async ({ browser }) => {
    test.setTimeout(120_000);
    const first = await browser.newContext();
    const second = await browser.newContext();
    const editorPage = await first.newPage();
    const adminPage = await second.newPage();
    await new RankwiseApp(editorPage).signIn(demoUsers.editor);
    await new RankwiseApp(adminPage).signIn(demoUsers.admin);

    await editorPage.goto("/admin/prompts/summarizer?left=en&right=fr");
    await adminPage.goto("/admin/prompts/summarizer?left=en&right=fr");
    const editorEnglish = editorPage.getByRole("region", { name: "English", exact: true });
    const adminEnglish = adminPage.getByRole("region", { name: "English", exact: true });
    const original = await editorEnglish.getByLabel("User template").inputValue();
    await expect(adminEnglish.getByLabel("User template")).toHaveValue(original);

    await test.step("the first editor publishes a change", async () => {
      await editorEnglish.getByLabel("User template").fill(`${original}\n${EDITOR_SENTENCE}`);
      await editorEnglish.getByRole("button", { name: "Publish…" }).click();
      const dialog = editorEnglish.getByRole("region", { name: "Publish" });
      await expect(dialog).toContainText("Your changes will be saved as version 2, then published.");
      await dialog.getByRole("button", { name: "Publish", exact: true }).click();
      await expect(editorEnglish.getByText("Version 2 of the English text is live.")).toBeVisible();
    });

    await test.step("the second editor publishes on the old version and gets the conflict screen", async () => {
      await adminEnglish.getByLabel("User template").fill(`${original}\n${ADMIN_SENTENCE}`);
      await adminEnglish.getByRole("button", { name: "Publish…" }).click();
      await adminEnglish
        .getByRole("region", { name: "Publish" })
        .getByRole("button", { name: "Publish", exact: true })
        .click();

      await expect(
        adminEnglish.getByRole("heading", { name: `${demoUsers.editor.name} saved a new version` }),
      ).toBeVisible();
      await expect(adminEnglish.getByText("Nothing was overwritten")).toBeVisible();
      await expect(adminEnglish.getByTestId("conflict-theirs")).toContainText(EDITOR_SENTENCE);
      await expect(adminEnglish.getByTestId("conflict-theirs")).toContainText("version 2");
      await expect(adminEnglish.getByTestId("conflict-mine")).toContainText(ADMIN_SENTENCE);
      await expect(adminEnglish.getByLabel("User template")).toHaveValue(`${original}\n${ADMIN_SENTENCE}`);
    });

    await test.step("the first editor's text is intact and live", async () => {
      const response = await editorPage.request.get("/api/admin/prompts/summarizer");
      const detail = await response.json();
      const english = detail.languages.find((entry: { language: string }) => entry.language === "en");

      expect(english.latest.versionNumber).toBe(2);
      expect(english.latest.userTemplate).toContain(EDITOR_SENTENCE);
      expect(english.latest.userTemplate).not.toContain(ADMIN_SENTENCE);
      expect(english.publishedVersionId).toBe(english.latest.id);

      await editorPage.reload();
      await expect(editorEnglish.getByLabel("User template")).toHaveValue(`${original}\n${EDITOR_SENTENCE}`);
    });

    await test.step("the second editor loads their version", async () => {
      await adminEnglish.getByRole("button", { name: "Discard my text and load theirs" }).click();
      await expect(adminEnglish.getByLabel("User template")).toHaveValue(`${original}\n${EDITOR_SENTENCE}`);
    });

    await first.close();
    await second.close();
  });
});

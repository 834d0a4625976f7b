import { expect, type Page, test } from "@playwright/test";
import { demoUsers, RankwiseApp } from "./pages/rankwise";

/** Open the RICE reach editor of an item page and fill it; returns the editor's form. */
async function fillReach(page: Page, value: string, reason: string) {
  const reach = page.locator('[data-framework="rice"] li[data-input="reach"]');
  await reach.getByRole("button", { name: "Set", exact: true }).click();
  await reach.getByLabel("Reach value").fill(value);
  await reach.getByLabel("Reason (required)").fill(reason);
  return reach;
}

test.describe("input edit conflict", () => {
  test("a stale item page gets a conflict and the first value stays", async ({ browser }) => {
    const first = await (await browser.newContext()).newPage();
    const second = await (await browser.newContext()).newPage();
    const pm = new RankwiseApp(first);
    await pm.signIn(demoUsers.pm);
    await new RankwiseApp(second).signIn(demoUsers.editor);
    const workspaceId = pm.currentWorkspaceId();

    const listed = await first.request.get(`/api/v1/workspaces/${workspaceId}/items?limit=100`);
    const { items } = (await listed.json()) as { items: Array<{ id: string; externalId: string | null }> };
    const item = items.find((entry) => entry.externalId === "A10");
    expect(item).toBeDefined();
    const itemUrl = `/w/${workspaceId}/backlog/items/${item?.id}`;
    await first.goto(itemUrl);
    await second.goto(itemUrl);

    const firstReach = await fillReach(first, "4321", "Survey of the support queue");
    const secondReach = await fillReach(second, "1234", "Guess from last quarter");

    await firstReach.getByRole("button", { name: "Set the value" }).click();
    await expect(firstReach.getByRole("button", { name: "Set the value" })).toBeHidden();
    await expect(firstReach).toContainText("4,321");

    await secondReach.getByRole("button", { name: "Set the value" }).click();
    await expect(secondReach.getByText("Someone else changed this item")).toBeVisible();

    const read = await first.request.get(`/api/v1/workspaces/${workspaceId}/items/${item?.id}`);
    const { item: stored } = (await read.json()) as { item: { inputs: { reach: { value: number } } } };
    expect(stored.inputs.reach.value).toBe(4321);
  });
});

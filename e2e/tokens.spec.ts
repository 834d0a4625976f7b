import { expect, test } from "@playwright/test";
import { demoUsers, RankwiseApp } from "./pages/rankwise";

test.describe("access tokens", () => {
  test("member creates, uses and revokes a token", async ({ page, request }) => {
    const app = new RankwiseApp(page);
    await app.signIn(demoUsers.pm);
    const itemsUrl = `/api/v1/workspaces/${app.currentWorkspaceId()}/items`;
    const tokenName = `e2e ${Date.now()}`;

    await app.openUserMenu();
    await page.getByRole("link", { name: "Access tokens" }).click();
    await expect(page.getByRole("heading", { name: "Access tokens", level: 1 })).toBeVisible();
    await page.getByLabel("Token name").fill(tokenName);
    await page.getByRole("button", { name: "Create token" }).click();

    const token = (await page.getByTestId("new-token").textContent())?.trim() ?? "";
    expect(token).toMatch(/^rw_/);
    await expect(page.getByRole("row", { name: new RegExp(tokenName) })).toBeVisible();
    const withToken = { headers: { authorization: `Bearer ${token}` } };
    expect((await request.get(itemsUrl, withToken)).status()).toBe(200);

    await page.getByRole("button", { name: `Revoke the token ${tokenName}` }).click();

    await expect(page.getByRole("row", { name: new RegExp(tokenName) })).toContainText("Revoked");
    expect((await request.get(itemsUrl, withToken)).status()).toBe(401);
  });
});

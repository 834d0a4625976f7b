import { expect, test } from "@playwright/test";
import { demoUsers, RankwiseApp } from "./pages/rankwise";

const workspaceSections = ["Backlog", "Prioritize", "Feedback", "Knowledge", "Chat", "Runs"];

test.describe("navigation by role", () => {
  const cases = [
    { role: "admin", user: demoUsers.admin, roleLabel: "Admin", seesAdmin: true },
    { role: "editor", user: demoUsers.editor, roleLabel: "Editor", seesAdmin: true },
    { role: "member", user: demoUsers.pm, roleLabel: "Member", seesAdmin: false },
    { role: "viewer", user: demoUsers.viewer, roleLabel: "Viewer", seesAdmin: false },
  ];

  for (const { role, user, roleLabel, seesAdmin } of cases) {
    test(`${role} sees ${seesAdmin ? "the Admin entry" : "no Admin entry"}`, async ({ page }) => {
      const app = new RankwiseApp(page);

      await app.signIn(user);

      // Viewers may not run AI, so the Chat section is hidden from them.
      const sections = role === "viewer" ? workspaceSections.filter((name) => name !== "Chat") : workspaceSections;
      expect(await app.navLinkNames()).toEqual(seesAdmin ? [...sections, "Admin"] : sections);
      await app.openUserMenu();
      await expect(page.getByTestId("user-role")).toHaveText(roleLabel);
    });
  }

  test("admin page lists users for an admin", async ({ page }) => {
    const app = new RankwiseApp(page);
    await app.signIn(demoUsers.admin);

    await app.mainNav.getByRole("link", { name: "Admin" }).click();

    const users = page.getByRole("table", { name: /user account/ });
    await expect(users.getByRole("row")).toHaveCount(6);
    await expect(users.getByRole("cell", { name: demoUsers.pm.email })).toBeVisible();
  });
});

test.describe("access control", () => {
  test("member gets 403 on the admin page", async ({ page }) => {
    const app = new RankwiseApp(page);
    await app.signIn(demoUsers.pm);

    const response = await page.goto("/admin");

    expect(response?.status()).toBe(403);
    await expect(page.getByRole("heading", { name: "Access denied" })).toBeVisible();
  });

  test("viewer gets 403 on the prompt admin pages and API", async ({ page }) => {
    const app = new RankwiseApp(page);
    await app.signIn(demoUsers.viewer);

    const list = await page.goto("/admin/prompts");
    await expect(page.getByRole("heading", { name: "Access denied" })).toBeVisible();
    const editor = await page.goto("/admin/prompts/prioritizer");
    const api = await page.request.get("/api/admin/prompts/prioritizer");

    expect(list?.status()).toBe(403);
    expect(editor?.status()).toBe(403);
    expect(api.status()).toBe(403);
  });

  test("outsider gets 404 on the demo workspace", async ({ page, browser, baseURL }) => {
    const pm = new RankwiseApp(page);
    await pm.signIn(demoUsers.pm);
    const demoWorkspaceId = pm.currentWorkspaceId();

    const outsiderContext = await browser.newContext({ baseURL });
    const outsider = new RankwiseApp(await outsiderContext.newPage());
    await outsider.signIn(demoUsers.outsider);
    const response = await outsider.page.goto(`/w/${demoWorkspaceId}/backlog`);

    expect(outsider.currentWorkspaceId()).toBe(demoWorkspaceId);
    expect(response?.status()).toBe(404);
    await expect(outsider.page.getByRole("heading", { name: "Page not found" })).toBeVisible();
    await outsiderContext.close();
  });

  test("anonymous visitor is sent to sign-in and back", async ({ page }) => {
    const pm = new RankwiseApp(page);
    await pm.signIn(demoUsers.pm);
    const knowledgePath = `/w/${pm.currentWorkspaceId()}/knowledge`;
    await page.context().clearCookies();

    await page.goto(knowledgePath);
    await expect(page).toHaveURL(/\/signin\?callbackUrl=/);
    await pm.submitCredentials(demoUsers.pm.email, demoUsers.pm.password);

    await page.waitForURL((url) => url.pathname === knowledgePath);
    await expect(page.getByRole("heading", { name: "Knowledge" })).toBeVisible();
  });
});

test.describe("sign-in and sign-out", () => {
  test("wrong password shows a clear message", async ({ page }) => {
    const app = new RankwiseApp(page);
    await app.gotoSignIn();

    await app.submitCredentials(demoUsers.viewer.email, "not-the-password");

    await expect(app.signInError).toHaveText(/Wrong email or password/);
    await expect(page).toHaveURL(/\/signin/);
  });

  test("sign-out ends the session", async ({ page }) => {
    const app = new RankwiseApp(page);
    await app.signIn(demoUsers.editor);

    await app.signOut();

    await expect(page.getByRole("main").getByRole("status")).toHaveText("You are signed out.");
    await page.goto("/admin");
    await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fadmin/);
  });
});

test.describe("rate limiting", () => {
  // A client address of its own, so these failures do not count against the other specs' sign-ins.
  test.use({ extraHTTPHeaders: { "x-forwarded-for": "203.0.113.77" } });

  test("repeated failures show the rate-limit message", async ({ page }) => {
    const app = new RankwiseApp(page);
    await app.gotoSignIn();
    const alert = app.signInError;

    // The e2e server keeps the default limit of 5 failures per window (SIGN_IN_MAX_ATTEMPTS).
    for (let attempt = 1; attempt <= 5; attempt++) {
      await app.submitCredentials("nobody@rankwise.test", `wrong-${attempt}`);
      await expect(alert).toHaveText(/Wrong email or password/);
    }
    await app.submitCredentials("nobody@rankwise.test", "wrong-6");

    await expect(alert).toHaveText(/Too many failed attempts\. Wait up to \d+ minutes?, then try again\./);
  });
});

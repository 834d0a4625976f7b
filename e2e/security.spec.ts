import fs from "node:fs";
import path from "node:path";
import { type APIRequestContext, expect, type Page, test } from "@playwright/test";
import { demoUsers, RankwiseApp } from "./pages/rankwise";

/**
 * Browser-side security of the production build: stored XSS stays inert, cross-site posts to a
 * server action and to next-auth are refused, and guessed workspace or document ids are 404
 * pages. The specs write only to the outsider's small workspace, which other specs do not rank.
 */

/** Each payload sets `window.__xss` if it ever runs. */
const payloads = {
  scriptTitle: "<script>window.__xss='title'</script>",
  imageTitle: `<img src=x onerror="window.__xss='img'">`,
  linkTitle: "[open me](javascript:window.__xss='link')",
  documentText: [
    "# Pasted notes",
    "<script>window.__xss='doc-script'</script>",
    `<img src=x onerror="window.__xss='doc-img'">`,
    "[open me](javascript:window.__xss='doc-link')",
    `<a href="javascript:window.__xss='doc-anchor'">anchor</a>`,
  ].join("\n\n"),
};

/** Fail the test on any dialog, which a payload calling alert() would open. */
function failOnDialog(page: Page): void {
  page.on("dialog", (dialog) => {
    throw new Error(`a dialog opened: ${dialog.message()}`);
  });
}

async function ranPayload(page: Page): Promise<unknown> {
  return page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss ?? null);
}

/**
 * Elements through which a payload could run later: `javascript:` links and event-handler
 * attributes. A payload that ran at load time shows in `ranPayload` instead.
 */
async function dangerousElements(page: Page): Promise<number> {
  return page.evaluate(() => {
    const links = document.querySelectorAll('a[href^="javascript:" i]').length;
    const handlers = [...document.querySelectorAll("*")].filter((element) =>
      element.getAttributeNames().some((name) => name.startsWith("on")),
    ).length;
    return links + handlers;
  });
}

async function createScoredItem(request: APIRequestContext, workspaceId: string, title: string): Promise<string> {
  const created = await request.post(`/api/v1/workspaces/${workspaceId}/items`, {
    data: { title, description: payloads.documentText, theme: "Security" },
  });
  expect(created.status()).toBe(201);
  const { item } = (await created.json()) as { item: { id: string } };
  // Inputs that rank the item first, so the simulated chat answer contains its title.
  const inputs: Record<string, number> = { reach: 1_000_000_000, impact: 3, confidence: 100, effort: 0.05 };
  for (const [input, value] of Object.entries(inputs)) {
    const response = await request.put(`/api/v1/workspaces/${workspaceId}/items/${item.id}/inputs/${input}`, {
      data: { value, reason: "security spec" },
    });
    expect(response.status()).toBe(200);
  }
  return item.id;
}

test.describe("stored XSS", () => {
  test("item titles, a document and a model answer render inert", async ({ page }) => {
    failOnDialog(page);
    const app = new RankwiseApp(page);
    await app.signIn(demoUsers.outsider);
    const workspaceId = app.currentWorkspaceId();
    const itemIds = [
      await createScoredItem(page.request, workspaceId, payloads.scriptTitle),
      await createScoredItem(page.request, workspaceId, payloads.imageTitle),
      await createScoredItem(page.request, workspaceId, payloads.linkTitle),
    ];
    const pasted = await page.request.post(`/api/v1/workspaces/${workspaceId}/documents`, {
      data: { title: payloads.imageTitle, content: payloads.documentText },
    });
    expect(pasted.status()).toBe(201);
    const documentId = ((await pasted.json()) as { documents: Array<{ id: string }> }).documents[0]?.id;

    try {
      await page.goto(`/w/${workspaceId}/backlog`);
      await expect(page.getByText(payloads.scriptTitle).first()).toBeVisible();
      expect(await ranPayload(page)).toBeNull();
      expect(await dangerousElements(page)).toBe(0);

      await page.goto(`/w/${workspaceId}/knowledge/${documentId}`);
      await expect(page.getByText("Pasted notes").first()).toBeVisible();
      expect(await ranPayload(page)).toBeNull();
      expect(await dangerousElements(page)).toBe(0);

      await page.goto(`/w/${workspaceId}/chat`);
      await page.getByLabel("Your question").fill("What is at the top of the ranking?");
      await page.getByRole("button", { name: "Ask" }).click();
      await expect(page.getByRole("button", { name: "Regenerate" })).toBeVisible();
      const answer = page.getByRole("article", { name: "Rankwise" }).last();
      await expect(answer).toContainText("The top of the ranking");
      await expect(answer).toContainText("window.__xss='title'");
      expect(await ranPayload(page)).toBeNull();
      expect(await dangerousElements(page)).toBe(0);
    } finally {
      for (const itemId of itemIds) await page.request.delete(`/api/v1/workspaces/${workspaceId}/items/${itemId}`);
      if (documentId) await page.request.delete(`/api/v1/workspaces/${workspaceId}/documents/${documentId}`);
    }
  });
});

/** Find a server action's id in the production build's server reference manifest. */
function serverActionId(fileName: string, exportedName: string): string {
  const manifestPath = path.join(process.cwd(), ".next", "server", "server-reference-manifest.json");
  const manifest = JSON.parse(fs.readFileSync(manifestPath, "utf8")) as {
    node: Record<string, { filename: string; exportedName: string }>;
  };
  const found = Object.entries(manifest.node).find(
    ([, entry]) => entry.filename === fileName && entry.exportedName === exportedName,
  );
  if (!found) throw new Error(`${fileName}#${exportedName} is not in the server reference manifest`);
  return found[0];
}

test.describe("cross-site requests", () => {
  const evilOrigin = "http://evil.example";

  test("a cross-site post to a server action is refused", async ({ page, baseURL }) => {
    const app = new RankwiseApp(page);
    await app.signIn(demoUsers.outsider);
    const backlogPath = `/w/${app.currentWorkspaceId()}/backlog`;
    const actionId = serverActionId("app/(app)/actions.ts", "setLocale");
    const post = (origin: string, locale: string, headers: Record<string, string> = {}) =>
      page.request.post(backlogPath, {
        headers: {
          "next-action": actionId,
          origin,
          accept: "text/x-component",
          "content-type": "text/plain;charset=UTF-8",
          ...headers,
        },
        data: JSON.stringify([{ locale }]),
      });

    const forged = await post(evilOrigin, "fr");
    // The e2e server runs without TRUST_PROXY, so a matching X-Forwarded-Host must not help.
    const forgedHost = await post(evilOrigin, "fr", { "x-forwarded-host": new URL(evilOrigin).host });
    await page.reload();
    const langAfterForgery = await page.locator("html").getAttribute("lang");
    const genuine = await post(baseURL ?? "", "en");

    expect(forged.status()).toBeGreaterThanOrEqual(400);
    expect(forgedHost.status()).toBeGreaterThanOrEqual(400);
    expect(langAfterForgery).toBe("en");
    expect(genuine.status()).toBe(200);
  });

  test("cross-site posts to next-auth neither sign out nor sign in", async ({ page, playwright, baseURL }) => {
    const app = new RankwiseApp(page);
    await app.signIn(demoUsers.outsider);
    const signOut = await page.request.post("/api/auth/signout", {
      headers: { origin: evilOrigin, "content-type": "application/x-www-form-urlencoded" },
      data: "callbackUrl=/",
      maxRedirects: 0,
    });
    const session = (await (await page.request.get("/api/auth/session")).json()) as { user?: { email?: string } };

    const stranger = await playwright.request.newContext({ baseURL });
    const signIn = await stranger.post("/api/auth/callback/credentials", {
      headers: { origin: evilOrigin, "content-type": "application/x-www-form-urlencoded" },
      data: new URLSearchParams({ email: demoUsers.outsider.email, password: demoUsers.outsider.password }).toString(),
      maxRedirects: 0,
    });
    const setCookies = signIn.headersArray().filter((header) => header.name.toLowerCase() === "set-cookie");
    await stranger.dispose();

    expect(session.user?.email).toBe(demoUsers.outsider.email);
    expect(signOut.headers().location ?? "").not.toMatch(/signedOut/);
    expect(signIn.headers().location ?? "").toMatch(/csrf=true/);
    expect(setCookies.some((header) => header.value.startsWith("next-auth.session-token="))).toBe(false);
  });
});

test.describe("guessed ids in the UI", () => {
  test("pages of another workspace's ids are 404", async ({ page, browser, baseURL }) => {
    const pm = new RankwiseApp(page);
    await pm.signIn(demoUsers.pm);
    const demoWorkspaceId = pm.currentWorkspaceId();
    const documents = (await (await page.request.get(`/api/v1/workspaces/${demoWorkspaceId}/documents`)).json()) as {
      documents: Array<{ id: string }>;
    };
    const demoDocumentId = documents.documents[0]?.id;
    expect(demoDocumentId).toBeDefined();

    const context = await browser.newContext({ baseURL });
    const outsider = new RankwiseApp(await context.newPage());
    await outsider.signIn(demoUsers.outsider);
    const ownWorkspaceId = outsider.currentWorkspaceId();
    const paths = [
      `/w/${demoWorkspaceId}/knowledge/${demoDocumentId}`,
      `/w/${ownWorkspaceId}/knowledge/${demoDocumentId}`,
      `/w/${demoWorkspaceId}/chat`,
      `/w/${demoWorkspaceId}/runs`,
      "/w/00000000-0000-4000-8000-000000000000/backlog",
      "/w/not-a-workspace/backlog",
    ];
    const statuses: Record<string, number | undefined> = {};
    for (const visited of paths) statuses[visited] = (await outsider.page.goto(visited))?.status();
    await context.close();

    expect(statuses).toEqual(Object.fromEntries(paths.map((visited) => [visited, 404])));
  });
});

test.describe("response headers", () => {
  test("pages refuse framing and sniffing", async ({ page }) => {
    const response = await page.goto("/signin");
    const headers = response?.headers() ?? {};

    expect(headers["x-frame-options"]).toBe("DENY");
    expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  });

  test("unknown API paths and the favicon get no HTML page", async ({ request }) => {
    const unknown = await request.get("/api/v1/no-such-endpoint");
    const favicon = await request.get("/favicon.ico");

    expect(unknown.status()).toBe(404);
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe("not_found");
    expect(favicon.status()).toBe(200);
    expect(favicon.headers()["content-type"]).toContain("image/svg+xml");
  });
});

import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { setDatabaseForTests } from "@/db";
import type { DatabaseHandle } from "@/db/client";
import { createTestDatabase, describeEachEngine } from "@/lib/testing/database";
import { callRoute, createTokenUser, createWorkspace, jsonBody } from "./harness";

// Token routes accept a session only. Outside a Next.js request there is no cookie store, so the
// session lookup is replaced; bearer tokens still go through the real database path.
const session = vi.hoisted(() => ({ userId: undefined as string | undefined }));
vi.mock("next-auth", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next-auth")>()),
  getServerSession: async () => (session.userId ? { user: { id: session.userId }, expires: "2999-01-01" } : null),
}));

const tokensRoute = await import("@/app/api/v1/tokens/route");
const tokenRoute = await import("@/app/api/v1/tokens/[tokenId]/route");
const rankingRoute = await import("@/app/api/v1/workspaces/[workspaceId]/ranking/route");

describeEachEngine("token API routes", (engine) => {
  let handle: DatabaseHandle;
  let workspaceId: string;
  let owner: Awaited<ReturnType<typeof createTokenUser>>;
  let stranger: Awaited<ReturnType<typeof createTokenUser>>;

  beforeAll(async () => {
    handle = await createTestDatabase(engine);
    setDatabaseForTests(handle);
    workspaceId = await createWorkspace(handle);
    owner = await createTokenUser(handle, { workspaceIds: [workspaceId] });
    stranger = await createTokenUser(handle, { workspaceIds: [] });
  });

  afterAll(async () => {
    session.userId = undefined;
    setDatabaseForTests(undefined);
    await handle.close();
  });

  const create = (name: unknown, headers: Record<string, string> = {}) => {
    const { body, headers: json } = jsonBody({ name });
    return callRoute(tokensRoute.POST, {
      path: "/api/v1/tokens",
      method: "POST",
      headers: { ...headers, ...json },
      body,
    });
  };
  const ranking = (token: string) =>
    callRoute(rankingRoute.GET, {
      path: `/api/v1/workspaces/${workspaceId}/ranking`,
      headers: { authorization: `Bearer ${token}` },
      params: { workspaceId },
    });

  it("creates a token shown once, which then authenticates", async () => {
    session.userId = owner.userId;
    const response = await create("CI script");
    expect(response.status).toBe(201);
    const { token } = (await response.json()) as { token: { id: string; token: string; prefix: string } };
    expect(token.token.startsWith("rw_")).toBe(true);
    expect(token.token.startsWith(token.prefix)).toBe(true);
    expect((await ranking(token.token)).status).toBe(200);
  });

  it("lists tokens without their secret or hash", async () => {
    session.userId = owner.userId;
    const response = await callRoute(tokensRoute.GET, { path: "/api/v1/tokens" });
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).not.toContain("tokenHash");
    expect(text).not.toContain(owner.token);
    expect((JSON.parse(text) as { tokens: unknown[] }).tokens.length).toBeGreaterThan(0);
  });

  it("revokes a token so it stops working", async () => {
    session.userId = owner.userId;
    const { token } = (await (await create("Short-lived")).json()) as { token: { id: string; token: string } };
    const response = await callRoute(tokenRoute.DELETE, {
      path: `/api/v1/tokens/${token.id}`,
      method: "DELETE",
      params: { tokenId: token.id },
    });
    expect(response.status).toBe(200);
    const rejected = await ranking(token.token);
    expect(rejected.status).toBe(401);
  });

  it("hides another user's token as not found", async () => {
    session.userId = stranger.userId;
    const response = await callRoute(tokenRoute.DELETE, {
      path: `/api/v1/tokens/${owner.tokenId}`,
      method: "DELETE",
      params: { tokenId: owner.tokenId },
    });
    expect(response.status).toBe(404);
  });

  it("refuses token management with a bearer token", async () => {
    session.userId = undefined;
    const response = await create("From a token", owner.headers);
    expect(response.status).toBe(403);
  });

  it("requires a session", async () => {
    session.userId = undefined;
    const response = await callRoute(tokensRoute.GET, { path: "/api/v1/tokens" });
    expect(response.status).toBe(401);
  });

  it("names the missing token name", async () => {
    session.userId = owner.userId;
    const response = await create("");
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as { error: { fields: { path: string }[] } };
    expect(error.fields[0]?.path).toBe("name");
  });

  it("rejects an unknown field such as expiresAt", async () => {
    session.userId = owner.userId;
    const { body, headers } = jsonBody({ name: "CI", expiresAt: "2030-01-01T00:00:00Z" });
    const response = await callRoute(tokensRoute.POST, { path: "/api/v1/tokens", method: "POST", headers, body });
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as { error: { fields: { path: string }[]; message: string } };
    expect(error.fields.map((field) => field.path)).toEqual(["expiresAt"]);
    expect(error.message).toContain("use one of: name");
  });

  it("hides the workspace from a token of a user without access", async () => {
    expect((await ranking(stranger.token)).status).toBe(404);
  });
});

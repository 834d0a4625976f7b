import { afterAll, beforeAll, expect, it, vi } from "vitest";

// The limit is read once per process from the environment, so it is set before any import reads it.
const LIMIT = 3;
vi.hoisted(() => {
  process.env.API_RATE_LIMIT_PER_MINUTE = "3";
});

const { setDatabaseForTests } = await import("@/db");
const { createTestDatabase, describeEachEngine } = await import("@/lib/testing/database");
const { callRoute, createTokenUser, createWorkspace } = await import("./harness");
const rankingRoute = await import("@/app/api/v1/workspaces/[workspaceId]/ranking/route");
const conversationsRoute = await import("@/app/api/chat/conversations/route");
const promptsRoute = await import("@/app/api/admin/prompts/route");

describeEachEngine("API rate limit", (engine) => {
  let handle: Awaited<ReturnType<typeof createTestDatabase>>;
  let workspaceId: string;

  beforeAll(async () => {
    handle = await createTestDatabase(engine);
    setDatabaseForTests(handle);
    workspaceId = await createWorkspace(handle);
  });

  afterAll(async () => {
    setDatabaseForTests(undefined);
    await handle.close();
  });

  const ranking = (headers: Record<string, string>) =>
    callRoute(rankingRoute.GET, {
      path: `/api/v1/workspaces/${workspaceId}/ranking`,
      headers,
      params: { workspaceId },
    });

  /** Send requests until one is limited; a minute boundary in between restarts the count, so allow two windows. */
  async function sendUntilLimited(headers: Record<string, string>, send = ranking) {
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 2 * LIMIT + 2; attempt++) {
      const response = await send(headers);
      statuses.push(response.status);
      if (response.status === 429) return { response, statuses };
    }
    return { response: undefined, statuses };
  }

  it("answers 429 with Retry-After past the limit", async () => {
    const user = await createTokenUser(handle, { workspaceIds: [workspaceId] });
    const { response, statuses } = await sendUntilLimited(user.headers);
    expect(response?.status).toBe(429);
    expect(statuses.slice(-LIMIT - 1)).toEqual([200, 200, 200, 429]);
    const retryAfter = Number(response?.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    const body = (await response?.json()) as { error: { code: string } };
    expect(body.error.code).toBe("rate_limited");
  });

  it("counts each token separately", async () => {
    const first = await createTokenUser(handle, { workspaceIds: [workspaceId] });
    const second = await createTokenUser(handle, { workspaceIds: [workspaceId] });
    await sendUntilLimited(first.headers);
    expect((await ranking(second.headers)).status).toBe(200);
  });

  it.each([
    [
      "chat conversations",
      (headers: Record<string, string>) =>
        callRoute(conversationsRoute.GET, { path: `/api/chat/conversations?workspaceId=${workspaceId}`, headers }),
    ],
    [
      "prompt admin",
      (headers: Record<string, string>) => callRoute(promptsRoute.GET, { path: "/api/admin/prompts", headers }),
    ],
  ])("limits the %s routes too", async (_name, send) => {
    const user = await createTokenUser(handle, { workspaceIds: [workspaceId], role: "editor" });
    const { response, statuses } = await sendUntilLimited(user.headers, send);

    expect(response?.status).toBe(429);
    expect(statuses.slice(-LIMIT - 1)).toEqual([200, 200, 200, 429]);
  });

  it("records when a token was last used", async () => {
    const user = await createTokenUser(handle, { workspaceIds: [workspaceId] });
    await ranking(user.headers);
    const { apiToken } = await import("@/db/schema");
    const { eq } = await import("drizzle-orm");
    const [row] = await handle.db.select().from(apiToken).where(eq(apiToken.id, user.tokenId));
    expect(row?.lastUsedAt).toBeInstanceOf(Date);
  });
});

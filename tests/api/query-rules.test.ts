import { afterAll, beforeAll, expect, it } from "vitest";
import { setDatabaseForTests } from "@/db";
import type { DatabaseHandle } from "@/db/client";
import { createTestDatabase, describeEachEngine } from "@/lib/testing/database";
import { callRoute, createTokenUser, createWorkspace } from "./harness";

const itemsRoute = await import("@/app/api/v1/workspaces/[workspaceId]/items/route");

describeEachEngine("items list query rules", (engine) => {
  let handle: DatabaseHandle;
  let workspaceId: string;
  let member: Awaited<ReturnType<typeof createTokenUser>>;

  beforeAll(async () => {
    handle = await createTestDatabase(engine);
    setDatabaseForTests(handle);
    workspaceId = await createWorkspace(handle);
    member = await createTokenUser(handle, { workspaceIds: [workspaceId] });
  });

  afterAll(async () => {
    setDatabaseForTests(undefined);
    await handle.close();
  });

  async function listItems(query: string) {
    const response = await callRoute(itemsRoute.GET, {
      path: `/api/v1/workspaces/${workspaceId}/items?${query}`,
      headers: member.headers,
      params: { workspaceId },
    });
    return { status: response.status, body: (await response.json()) as { error?: { message: string } } };
  }

  it("lists the allowed missing names", async () => {
    const { status, body } = await listItems("missing=bogus");

    expect(status).toBe(400);
    expect(body.error?.message).toContain("missing[0]: expected an input name or any: one of reach, impact");
    expect(body.error?.message).toContain("job_size, any");
  });

  it("accepts a known missing name", async () => {
    const { status } = await listItems("missing=reach&missing=any");

    expect(status).toBe(200);
  });
});

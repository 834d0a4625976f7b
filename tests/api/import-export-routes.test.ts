import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setDatabaseForTests } from "@/db";
import type { DatabaseHandle } from "@/db/client";
import { listBacklogItems } from "@/db/queries/backlog";
import { createTestDatabase, describeEachEngine } from "@/lib/testing/database";
import { callRoute, createTokenUser, createWorkspace } from "./harness";

const itemsRoute = await import("@/app/api/v1/workspaces/[workspaceId]/items/route");
const importRoute = await import("@/app/api/v1/workspaces/[workspaceId]/items/import/route");
const exportRoute = await import("@/app/api/v1/workspaces/[workspaceId]/items/export.csv/route");

interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

const encoder = new TextEncoder();

describeEachEngine("backlog import, export and JSON body routes", (engine) => {
  let handle: DatabaseHandle;

  beforeAll(async () => {
    handle = await createTestDatabase(engine);
    setDatabaseForTests(handle);
  });

  afterAll(async () => {
    setDatabaseForTests(undefined);
    await handle.close();
  });

  /** Create a workspace and return its id and a member's token headers. */
  async function newWorkspace() {
    const workspaceId = await createWorkspace(handle);
    const member = await createTokenUser(handle, { workspaceIds: [workspaceId] });
    return { workspaceId, headers: member.headers };
  }

  function importCsv(workspaceId: string, headers: Record<string, string>, body: BodyInit) {
    return callRoute(importRoute.POST, {
      path: `/api/v1/workspaces/${workspaceId}/items/import`,
      method: "POST",
      headers: { ...headers, "content-type": "text/csv" },
      body,
      params: { workspaceId },
    });
  }

  async function exportCsv(workspaceId: string, headers: Record<string, string>): Promise<string> {
    const response = await callRoute(exportRoute.GET, {
      path: `/api/v1/workspaces/${workspaceId}/items/export.csv`,
      headers,
      params: { workspaceId },
    });
    expect(response.status).toBe(200);
    return response.text();
  }

  function createItemRaw(workspaceId: string, headers: Record<string, string>, body: Uint8Array, contentType: string) {
    return callRoute(itemsRoute.POST, {
      path: `/api/v1/workspaces/${workspaceId}/items`,
      method: "POST",
      headers: { ...headers, "content-type": contentType },
      body: body as unknown as BodyInit,
      params: { workspaceId },
    });
  }

  describe("concurrent CSV imports", () => {
    it("imports the same new ids six times at once", async () => {
      const { workspaceId, headers } = await newWorkspace();
      const rows = Array.from({ length: 200 }, (_, index) => `Item ${index},CC-${index},${index + 1}`);
      const csv = ["title,id,reach", ...rows].join("\n");

      const responses = await Promise.all(Array.from({ length: 6 }, () => importCsv(workspaceId, headers, csv)));
      const bodies = await Promise.all(responses.map((response) => response.json()));

      expect(responses.map((response) => response.status)).toEqual([201, 201, 201, 201, 201, 201]);
      const created = bodies.map((body) => (body as { result: { created: number } }).result.created);
      expect(created.sort((a, b) => b - a)).toEqual([200, 0, 0, 0, 0, 0]);
      expect(await listBacklogItems(handle.db, { workspaceId })).toHaveLength(200);
    });
  });

  describe("CSV round trip", () => {
    it("gives back text that starts with an apostrophe", async () => {
      const { workspaceId, headers } = await newWorkspace();
      const titles = ["'=literal apostrophe", "'+1", "'-1", "'@team", "=SUM(A1)"];
      for (const title of titles) {
        const response = await callRoute(itemsRoute.POST, {
          path: `/api/v1/workspaces/${workspaceId}/items`,
          method: "POST",
          headers: { ...headers, "content-type": "application/json" },
          body: JSON.stringify({ title, description: title }),
          params: { workspaceId },
        });
        expect(response.status).toBe(201);
      }
      const before = await listBacklogItems(handle.db, { workspaceId });

      const csv = await exportCsv(workspaceId, headers);
      const response = await importCsv(workspaceId, headers, csv);

      expect(csv).toContain("''=literal apostrophe");
      expect(csv).toContain("'=SUM(A1)");
      expect(response.status).toBe(201);
      expect(((await response.json()) as { result: unknown }).result).toMatchObject({ updated: 0, unchanged: 5 });
      expect(await listBacklogItems(handle.db, { workspaceId })).toEqual(before);
    });
  });

  describe("Rankwise ids", () => {
    it("reports another workspace's Rankwise id as a row problem", async () => {
      const source = await newWorkspace();
      expect((await importCsv(source.workspaceId, source.headers, "title\nOffline mode\n")).status).toBe(201);
      const csv = await exportCsv(source.workspaceId, source.headers);
      const target = await newWorkspace();

      const response = await importCsv(target.workspaceId, target.headers, csv);
      const body = (await response.json()) as ErrorBody;

      expect(response.status).toBe(400);
      expect(body.error.code).toBe("invalid_rows");
      expect(body.error.details?.errors).toEqual([
        expect.objectContaining({ row: 2, column: "rankwise_id", field: "itemId", code: "item_id_unknown" }),
      ]);
      expect(await listBacklogItems(handle.db, { workspaceId: target.workspaceId })).toEqual([]);
    });
  });

  describe("JSON bodies", () => {
    it("rejects invalid UTF-8 with 400 naming the body", async () => {
      const { workspaceId, headers } = await newWorkspace();
      const body = new Uint8Array([...encoder.encode('{"title":"bad '), 0xff, 0xfe, ...encoder.encode(' utf"}')]);

      const response = await createItemRaw(workspaceId, headers, body, "application/json");
      const error = ((await response.json()) as ErrorBody).error;

      expect(response.status).toBe(400);
      expect(error.details).toEqual({ field: "body", reason: "json_body_not_utf8" });
      expect(error.message).toContain("UTF-8");
      expect(await listBacklogItems(handle.db, { workspaceId })).toEqual([]);
    });

    it("rejects a Latin-1 body with 415 naming the charset", async () => {
      const { workspaceId, headers } = await newWorkspace();
      const body = new Uint8Array([...encoder.encode('{"title":"caf'), 0xe9, ...encoder.encode('"}')]);

      const response = await createItemRaw(workspaceId, headers, body, "application/json; charset=iso-8859-1");
      const error = ((await response.json()) as ErrorBody).error;

      expect(response.status).toBe(415);
      expect(error.code).toBe("unsupported_media_type");
      expect(error.details).toEqual({
        field: "content-type",
        reason: "json_charset_unsupported",
        params: { charset: "iso-8859-1" },
      });
      expect(await listBacklogItems(handle.db, { workspaceId })).toEqual([]);
    });

    it("stores UTF-8 text as sent", async () => {
      const { workspaceId, headers } = await newWorkspace();

      const response = await createItemRaw(
        workspaceId,
        headers,
        encoder.encode('{"title":"café 💡"}'),
        "application/json; charset=utf-8",
      );

      expect(response.status).toBe(201);
      expect((await listBacklogItems(handle.db, { workspaceId })).map((item) => item.title)).toEqual(["café 💡"]);
    });
  });
});

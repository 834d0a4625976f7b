import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setDatabaseForTests } from "@/db";
import type { DatabaseHandle } from "@/db/client";
import { importBacklogCsv } from "@/lib/backlog/import";
import { createTestDatabase, describeEachEngine, markDatabaseTime } from "@/lib/testing/database";
import { callRoute, createTokenUser, createWorkspace, jsonBody } from "./harness";

const itemsRoute = await import("@/app/api/v1/workspaces/[workspaceId]/items/route");
const itemRoute = await import("@/app/api/v1/workspaces/[workspaceId]/items/[itemId]/route");
const restoreRoute = await import("@/app/api/v1/workspaces/[workspaceId]/items/[itemId]/restore/route");
const inputRoute = await import("@/app/api/v1/workspaces/[workspaceId]/items/[itemId]/inputs/[input]/route");
const importRoute = await import("@/app/api/v1/workspaces/[workspaceId]/items/import/route");
const exportRoute = await import("@/app/api/v1/workspaces/[workspaceId]/items/export.csv/route");
const rankingRoute = await import("@/app/api/v1/workspaces/[workspaceId]/ranking/route");
const reviewRoute = await import("@/app/api/v1/workspaces/[workspaceId]/proposals/review/route");
const openApiRoute = await import("@/app/api/v1/openapi.json/route");

const seedCsv = fs.readFileSync(path.join(process.cwd(), "db/seed/backlog-en.csv"));

async function errorOf(response: Response) {
  const body = (await response.json()) as {
    error: { code: string; message: string; fields?: { path: string }[]; details?: Record<string, unknown> };
  };
  return body.error;
}

describeEachEngine("backlog API routes", (engine) => {
  let handle: DatabaseHandle;
  let workspaceId: string;
  let member: Awaited<ReturnType<typeof createTokenUser>>;
  let outsider: Awaited<ReturnType<typeof createTokenUser>>;
  let viewer: Awaited<ReturnType<typeof createTokenUser>>;
  let revoked: Awaited<ReturnType<typeof createTokenUser>>;

  const itemsPath = () => `/api/v1/workspaces/${workspaceId}/items`;

  async function createThroughApi(title: string, headers = member.headers) {
    const { body, headers: json } = jsonBody({ title });
    const response = await callRoute(itemsRoute.POST, {
      path: itemsPath(),
      method: "POST",
      headers: { ...headers, ...json },
      body,
      params: { workspaceId },
    });
    return {
      response,
      item:
        response.status === 201
          ? ((await response.json()) as { item: { id: string; version: number } }).item
          : undefined,
    };
  }

  beforeAll(async () => {
    handle = await createTestDatabase(engine);
    setDatabaseForTests(handle);
    workspaceId = await createWorkspace(handle);
    const otherWorkspaceId = await createWorkspace(handle);
    member = await createTokenUser(handle, { workspaceIds: [workspaceId] });
    viewer = await createTokenUser(handle, { workspaceIds: [workspaceId], role: "viewer" });
    outsider = await createTokenUser(handle, { workspaceIds: [otherWorkspaceId] });
    revoked = await createTokenUser(handle, { workspaceIds: [workspaceId] });
    const { sql } = await import("drizzle-orm");
    await handle.db.execute(sql`update api_token set revoked_at = now() where id = ${revoked.tokenId}`);
  });

  afterAll(async () => {
    setDatabaseForTests(undefined);
    await handle.close();
  });

  describe("items collection", () => {
    it("creates an item with a token", async () => {
      const { response, item } = await createThroughApi("Export to PDF");
      expect(response.status).toBe(201);
      expect(item?.version).toBe(1);
    });

    it("lists items with a token", async () => {
      await createThroughApi("Listed");
      const response = await callRoute(itemsRoute.GET, {
        path: itemsPath(),
        headers: member.headers,
        params: { workspaceId },
      });
      expect(response.status).toBe(200);
      const body = (await response.json()) as { items: { title: string }[]; total: number };
      expect(body.items.map((row) => row.title)).toContain("Listed");
      expect(body.total).toBe(body.items.length);
    });

    it("rejects a revoked token", async () => {
      const response = await callRoute(itemsRoute.GET, {
        path: itemsPath(),
        headers: revoked.headers,
        params: { workspaceId },
      });
      expect(response.status).toBe(401);
      expect((await errorOf(response)).code).toBe("unauthorized");
    });

    it("hides the workspace from a user without access", async () => {
      const response = await callRoute(itemsRoute.GET, {
        path: itemsPath(),
        headers: outsider.headers,
        params: { workspaceId },
      });
      expect(response.status).toBe(404);
    });

    it("names the invalid field on create", async () => {
      const { body, headers } = jsonBody({ title: "", status: "someday" });
      const response = await callRoute(itemsRoute.POST, {
        path: itemsPath(),
        method: "POST",
        headers: { ...member.headers, ...headers },
        body,
        params: { workspaceId },
      });
      expect(response.status).toBe(400);
      const error = await errorOf(response);
      expect(error.fields?.map((field) => field.path)).toEqual(["title", "status"]);
      expect(error.message).toContain("title");
    });

    it("rejects an unknown field on create", async () => {
      const { body, headers } = jsonBody({ title: "Typo", priority: "high" });
      const response = await callRoute(itemsRoute.POST, {
        path: itemsPath(),
        method: "POST",
        headers: { ...member.headers, ...headers },
        body,
        params: { workspaceId },
      });
      expect(response.status).toBe(400);
      const error = await errorOf(response);
      expect(error.code).toBe("invalid_input");
      expect(error.fields?.map((field) => field.path)).toEqual(["priority"]);
      expect(error.message).toContain("priority");
      expect(error.message).toContain("title, description, theme, status, links, externalId");
    });

    it("rejects deeply nested links on create", async () => {
      const response = await callRoute(itemsRoute.POST, {
        path: itemsPath(),
        method: "POST",
        headers: { ...member.headers, "content-type": "application/json" },
        body: `{"title":"deep","links":${"[".repeat(200_000)}${"]".repeat(200_000)}}`,
        params: { workspaceId },
      });
      expect(response.status).toBe(400);
      const error = await errorOf(response);
      expect(error.code).toBe("bad_request");
      expect(error.details).toMatchObject({ field: "links" });
      expect(error.message).toContain("Send flatter data");
    });

    it("forbids a viewer to create items", async () => {
      const { response } = await createThroughApi("Nope", viewer.headers);
      expect(response.status).toBe(403);
    });

    it("names the invalid filter", async () => {
      const response = await callRoute(itemsRoute.GET, {
        path: `${itemsPath()}?status=someday`,
        headers: member.headers,
        params: { workspaceId },
      });
      expect(response.status).toBe(400);
      expect((await errorOf(response)).fields?.[0]?.path).toBe("status[0]");
    });

    it("bulk-updates status and names a missing change", async () => {
      const { item } = await createThroughApi("Bulk");
      const ok = jsonBody({ itemIds: [item?.id], status: "planned" });
      const response = await callRoute(itemsRoute.PATCH, {
        path: itemsPath(),
        method: "PATCH",
        headers: { ...member.headers, ...ok.headers },
        body: ok.body,
        params: { workspaceId },
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ updated: 1 });

      const bad = jsonBody({ itemIds: [item?.id] });
      const rejected = await callRoute(itemsRoute.PATCH, {
        path: itemsPath(),
        method: "PATCH",
        headers: { ...member.headers, ...bad.headers },
        body: bad.body,
        params: { workspaceId },
      });
      expect(rejected.status).toBe(400);
      expect((await errorOf(rejected)).fields?.[0]?.path).toBe("theme");
    });

    it("rejects an unknown field in a bulk update", async () => {
      const { item } = await createThroughApi("Bulk typo");
      const typo = jsonBody({ itemIds: [item?.id], status: "planned", stauts: "done" });
      const response = await callRoute(itemsRoute.PATCH, {
        path: itemsPath(),
        method: "PATCH",
        headers: { ...member.headers, ...typo.headers },
        body: typo.body,
        params: { workspaceId },
      });

      expect(response.status).toBe(400);
      expect((await errorOf(response)).fields?.[0]?.path).toBe("stauts");
    });
  });

  describe("single item", () => {
    it("edits with the current version and conflicts with a stale one", async () => {
      const { item } = await createThroughApi("Versioned");
      const params = { workspaceId, itemId: item?.id ?? "" };
      const edit = (version: unknown) => {
        const { body, headers } = jsonBody({ version, title: "Renamed" });
        return callRoute(itemRoute.PATCH, {
          path: `${itemsPath()}/${item?.id}`,
          method: "PATCH",
          headers: { ...member.headers, ...headers },
          body,
          params,
        });
      };
      const first = await edit(1);
      expect(first.status).toBe(200);
      expect(((await first.json()) as { item: { version: number } }).item.version).toBe(2);

      const stale = await edit(1);
      expect(stale.status).toBe(409);
      expect((await errorOf(stale)).details).toEqual({ field: "version", currentVersion: 2, reason: "item_changed" });

      const invalid = await edit("two");
      expect(invalid.status).toBe(400);
      expect((await errorOf(invalid)).fields?.[0]?.path).toBe("version");
    });

    it("rejects a version beyond int4 on edit", async () => {
      const { item } = await createThroughApi("Huge version");
      const { body, headers } = jsonBody({ version: 2_147_483_648, title: "Renamed" });
      const response = await callRoute(itemRoute.PATCH, {
        path: `${itemsPath()}/${item?.id}`,
        method: "PATCH",
        headers: { ...member.headers, ...headers },
        body,
        params: { workspaceId, itemId: item?.id ?? "" },
      });
      expect(response.status).toBe(400);
      expect((await errorOf(response)).fields?.map((field) => field.path)).toEqual(["version"]);
    });

    it("keeps the version of an edit that changes nothing", async () => {
      const { item } = await createThroughApi("Unchanged");
      const params = { workspaceId, itemId: item?.id ?? "" };
      const edit = (changes: Record<string, unknown>) => {
        const { body, headers } = jsonBody(changes);
        return callRoute(itemRoute.PATCH, {
          path: `${itemsPath()}/${item?.id}`,
          method: "PATCH",
          headers: { ...member.headers, ...headers },
          body,
          params,
        });
      };
      const versionOf = async (response: Response) =>
        ((await response.json()) as { item: { version: number } }).item.version;

      const versionOnly = await edit({ version: 1 });
      expect(versionOnly.status).toBe(200);
      expect(await versionOf(versionOnly)).toBe(1);

      const sameValues = await edit({
        version: 1,
        title: "Unchanged",
        description: "",
        theme: null,
        status: "idea",
        links: [],
        externalId: null,
      });
      expect(sameValues.status).toBe(200);
      expect(await versionOf(sameValues)).toBe(1);

      const read = await callRoute(itemRoute.GET, {
        path: `${itemsPath()}/${item?.id}`,
        headers: member.headers,
        params,
      });
      expect(await versionOf(read)).toBe(1);
    });

    it("rejects an unknown field on edit", async () => {
      const { item } = await createThroughApi("Strict");
      const params = { workspaceId, itemId: item?.id ?? "" };
      const { body, headers } = jsonBody({ version: 1, titel: "typo" });
      const response = await callRoute(itemRoute.PATCH, {
        path: `${itemsPath()}/${item?.id}`,
        method: "PATCH",
        headers: { ...member.headers, ...headers },
        body,
        params,
      });
      expect(response.status).toBe(400);
      const error = await errorOf(response);
      expect(error.code).toBe("invalid_input");
      expect(error.fields?.map((field) => field.path)).toEqual(["titel"]);
      expect(error.message).toContain("titel");
      expect(error.message).toContain("version, title, description, theme, status, links, externalId");

      const read = await callRoute(itemRoute.GET, {
        path: `${itemsPath()}/${item?.id}`,
        headers: member.headers,
        params,
      });
      const stored = ((await read.json()) as { item: { title: string; version: number } }).item;
      expect(stored.title).toBe("Strict");
      expect(stored.version).toBe(1);
    });

    it("returns 404 for another workspace's item and for a malformed id", async () => {
      const { item } = await createThroughApi("Private");
      const outsiderResponse = await callRoute(itemRoute.GET, {
        path: `${itemsPath()}/${item?.id}`,
        headers: outsider.headers,
        params: { workspaceId, itemId: item?.id ?? "" },
      });
      expect(outsiderResponse.status).toBe(404);
      const malformed = await callRoute(itemRoute.GET, {
        path: `${itemsPath()}/abc`,
        headers: member.headers,
        params: { workspaceId, itemId: "abc" },
      });
      expect(malformed.status).toBe(404);
    });

    it("names the item resource in a 404 body", async () => {
      const missingId = "00000000-0000-4000-8000-000000000000";
      const missing = await callRoute(itemRoute.GET, {
        path: `${itemsPath()}/${missingId}`,
        headers: member.headers,
        params: { workspaceId, itemId: missingId },
      });
      const malformed = await callRoute(itemRoute.GET, {
        path: `${itemsPath()}/abc`,
        headers: member.headers,
        params: { workspaceId, itemId: "abc" },
      });
      const missingError = await errorOf(missing);
      const malformedError = await errorOf(malformed);

      expect(missing.status).toBe(404);
      expect(missingError.code).toBe("not_found");
      expect(missingError.message).toBe("Item not found.");
      expect(missingError.details).toEqual({ params: { resource: "item" } });
      expect(malformedError.details).toEqual({ params: { resource: "item" } });
    });

    it("names the workspace resource in a 404 body for an outsider", async () => {
      const { item } = await createThroughApi("Hidden");
      const response = await callRoute(itemRoute.GET, {
        path: `${itemsPath()}/${item?.id}`,
        headers: outsider.headers,
        params: { workspaceId, itemId: item?.id ?? "" },
      });

      expect(response.status).toBe(404);
      expect((await errorOf(response)).details).toEqual({ params: { resource: "workspace" } });
    });

    it("deletes and restores an item", async () => {
      const { item } = await createThroughApi("Undo me");
      const params = { workspaceId, itemId: item?.id ?? "" };
      const deleted = await callRoute(itemRoute.DELETE, {
        path: `${itemsPath()}/${item?.id}`,
        method: "DELETE",
        headers: member.headers,
        params,
      });
      expect(deleted.status).toBe(200);
      expect(((await deleted.json()) as { undo: { href: string } }).undo.href).toContain("/restore");
      const gone = await callRoute(itemRoute.GET, {
        path: `${itemsPath()}/${item?.id}`,
        headers: member.headers,
        params,
      });
      expect(gone.status).toBe(404);

      const restored = await callRoute(restoreRoute.POST, {
        path: `${itemsPath()}/${item?.id}/restore`,
        method: "POST",
        headers: member.headers,
        params,
      });
      expect(restored.status).toBe(200);
      const back = await callRoute(itemRoute.GET, {
        path: `${itemsPath()}/${item?.id}`,
        headers: member.headers,
        params,
      });
      expect(back.status).toBe(200);
    });
  });

  describe("inputs", () => {
    const put = (itemId: string, input: string, payload: unknown, headers = member.headers) => {
      const { body, headers: json } = jsonBody(payload);
      return callRoute(inputRoute.PUT, {
        path: `${itemsPath()}/${itemId}/inputs/${input}`,
        method: "PUT",
        headers: { ...headers, ...json },
        body,
        params: { workspaceId, itemId, input },
      });
    };

    it("sets a PM value with a reason and shows it in the history", async () => {
      const { item } = await createThroughApi("With reach");
      const response = await put(item?.id ?? "", "reach", { value: 900, reason: "Usage data" });
      expect(response.status).toBe(200);
      const body = (await response.json()) as { item: { inputs: { reach: { value: number; source: string } } } };
      expect(body.item.inputs.reach).toMatchObject({ value: 900, source: "pm" });

      const detail = await callRoute(itemRoute.GET, {
        path: `${itemsPath()}/${item?.id}`,
        headers: member.headers,
        params: { workspaceId, itemId: item?.id ?? "" },
      });
      const history = ((await detail.json()) as { history: { rationale: string }[] }).history;
      expect(history.map((row) => row.rationale)).toEqual(["Usage data"]);
    });

    it("names the field of each invalid input", async () => {
      const { item } = await createThroughApi("Bad inputs");
      const unknown = await put(item?.id ?? "", "popularity", { value: 1, reason: "x" });
      expect(unknown.status).toBe(400);
      expect((await errorOf(unknown)).details).toEqual({ field: "input" });

      const noReason = await put(item?.id ?? "", "reach", { value: 1 });
      expect(noReason.status).toBe(400);
      expect((await errorOf(noReason)).fields?.[0]?.path).toBe("reason");

      const offScale = await put(item?.id ?? "", "impact", { value: 4, reason: "x" });
      expect(offScale.status).toBe(400);
      expect((await errorOf(offScale)).details).toEqual({ field: "value" });
    });

    it("rejects a version beyond int4", async () => {
      const { item } = await createThroughApi("Huge input version");
      const response = await put(item?.id ?? "", "reach", { value: 5, reason: "r", version: 2_147_483_648 });
      expect(response.status).toBe(400);
      const error = await errorOf(response);
      expect(error.code).toBe("invalid_input");
      expect(error.fields?.map((field) => field.path)).toEqual(["version"]);
    });

    it("rejects a misspelt version", async () => {
      const { item } = await createThroughApi("Typo version");
      const response = await put(item?.id ?? "", "reach", { value: 5, reason: "r", versoin: 1 });
      expect(response.status).toBe(400);
      const error = await errorOf(response);
      expect(error.fields?.map((field) => field.path)).toEqual(["versoin"]);
      expect(error.message).toContain("value, version, reason");

      const detail = await callRoute(itemRoute.GET, {
        path: `${itemsPath()}/${item?.id}`,
        headers: member.headers,
        params: { workspaceId, itemId: item?.id ?? "" },
      });
      const stored = ((await detail.json()) as { item: { inputs: { reach?: unknown } } }).item;
      expect(stored.inputs.reach).toBeUndefined();
    });

    it("hides the item from a user without access", async () => {
      const { item } = await createThroughApi("Guarded");
      const response = await put(item?.id ?? "", "reach", { value: 1, reason: "x" }, outsider.headers);
      expect(response.status).toBe(404);
    });
  });

  describe("import and export", () => {
    let importWorkspaceId: string;
    let importer: Awaited<ReturnType<typeof createTokenUser>>;

    beforeAll(async () => {
      importWorkspaceId = await createWorkspace(handle);
      importer = await createTokenUser(handle, { workspaceIds: [importWorkspaceId] });
    });

    const importCsv = (body: BodyInit, query = "", headers = importer.headers) =>
      callRoute(importRoute.POST, {
        path: `/api/v1/workspaces/${importWorkspaceId}/items/import${query}`,
        method: "POST",
        headers: { ...headers, "content-type": "text/csv" },
        body,
        params: { workspaceId: importWorkspaceId },
      });

    it("imports the seed file", async () => {
      const response = await importCsv(new Uint8Array(seedCsv));
      expect(response.status).toBe(201);
      const { result } = (await response.json()) as { result: { created: number; errorCount: number } };
      expect(result.created).toBe(60);
      expect(result.errorCount).toBe(0);
    });

    it("rejects a file with invalid rows, writing nothing", async () => {
      const response = await importCsv("title,reach\nGood,5\n,7\n");
      expect(response.status).toBe(400);
      const error = await errorOf(response);
      expect(error.code).toBe("invalid_rows");
      expect(error.details?.errors).toEqual([expect.objectContaining({ row: 3, column: "title", field: "title" })]);
      expect(error.details?.errors).toEqual([
        expect.objectContaining({ code: "title_missing", params: {}, message: "title is required" }),
      ]);
      expect(error.details?.params).toEqual({ invalidRows: 1 });
      const list = await callRoute(itemsRoute.GET, {
        path: `/api/v1/workspaces/${importWorkspaceId}/items?search=Good`,
        headers: importer.headers,
        params: { workspaceId: importWorkspaceId },
      });
      expect(((await list.json()) as { total: number }).total).toBe(0);
    });

    it("imports valid rows with skipInvalid", async () => {
      const response = await importCsv("title,reach\nGood,5\n,7\n", "?skipInvalid=true");
      expect(response.status).toBe(201);
      expect(((await response.json()) as { result: { created: number; skippedInvalid: number } }).result).toMatchObject(
        { created: 1, skippedInvalid: 1 },
      );
    });

    it("rejects a binary file renamed to csv", async () => {
      const response = await importCsv(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0, 0]));
      expect(response.status).toBe(400);
      const error = await errorOf(response);
      expect(error.code).toBe("csv_binary");
      expect(error.details).toEqual({ field: "file", params: { kind: "workbook" } });
    });

    it("names an invalid query parameter", async () => {
      const response = await importCsv("title\nA\n", "?onExisting=maybe");
      expect(response.status).toBe(400);
      expect((await errorOf(response)).fields?.[0]?.path).toBe("onExisting");
    });

    it("uses an explicit mapping by header name", async () => {
      const response = await importCsv(
        "Name;Size\nMapped;8\n",
        `?mapping=${encodeURIComponent('{"title":"Name","job_size":"Size"}')}`,
      );
      expect(response.status).toBe(201);
      const bad = await importCsv("Name\nMapped\n", `?mapping=${encodeURIComponent('{"title":"Nom"}')}`);
      expect(bad.status).toBe(400);
      expect((await errorOf(bad)).details).toEqual({
        field: "mapping",
        reason: "csv_mapping_unknown_headers",
        params: { fields: 'title → "Nom"', headers: '"Name"' },
      });
    });

    it("hides the workspace from a user without access", async () => {
      const response = await importCsv("title\nA\n", "", outsider.headers);
      expect(response.status).toBe(404);
    });

    it("exports CSV with a byte order mark and the export header", async () => {
      const response = await callRoute(exportRoute.GET, {
        path: `/api/v1/workspaces/${importWorkspaceId}/items/export.csv?framework=wsjf`,
        headers: importer.headers,
        params: { workspaceId: importWorkspaceId },
      });
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
      const bytes = new Uint8Array(await response.arrayBuffer());
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const text = new TextDecoder().decode(bytes);
      expect(text.startsWith("rank,number,id,title")).toBe(true);
      expect(text).toContain("A01");
    });
  });

  describe("ranking", () => {
    it("ranks by the requested framework", async () => {
      const response = await callRoute(rankingRoute.GET, {
        path: `/api/v1/workspaces/${workspaceId}/ranking?framework=rice`,
        headers: member.headers,
        params: { workspaceId },
      });
      expect(response.status).toBe(200);
      const body = (await response.json()) as {
        framework: string;
        ranked: unknown[];
        needsInput: { missing: string[] }[];
      };
      expect(body.framework).toBe("rice");
      expect(body.needsInput.length).toBeGreaterThan(0);
      expect(body.needsInput[0]?.missing).toContain("effort");
    });

    it("pages through the ranked items, then those that need input", async () => {
      type RankingBody = {
        ranked: { id: string }[];
        needsInput: { id: string }[];
        total: { ranked: number; needsInput: number };
      };
      // Three items with every RICE input, two without an effort.
      const pagedWorkspaceId = await createWorkspace(handle);
      const reader = await createTokenUser(handle, { workspaceIds: [pagedWorkspaceId] });
      const csv =
        "title,reach,impact,confidence,effort\nA,100,1,80,1\nB,200,2,100,2\nC,300,3,50,0.5\nD,10,1,80,\nE,20,1,80,\n";
      await importBacklogCsv(handle.db, { workspaceId: pagedWorkspaceId, actorId: null, csv });
      const fetchRanking = async (query: string) => {
        const response = await callRoute(rankingRoute.GET, {
          path: `/api/v1/workspaces/${pagedWorkspaceId}/ranking?framework=rice${query}`,
          headers: reader.headers,
          params: { workspaceId: pagedWorkspaceId },
        });
        expect(response.status).toBe(200);
        return (await response.json()) as RankingBody;
      };
      const whole = await fetchRanking("");
      const count = whole.total.ranked + whole.total.needsInput;
      const paged: string[] = [];
      for (let offset = 0; offset < count; offset += 2) {
        const page = await fetchRanking(`&limit=2&offset=${offset}`);
        expect(page.total).toEqual(whole.total);
        paged.push(...[...page.ranked, ...page.needsInput].map((entry) => entry.id));
      }

      expect(whole.total).toEqual({ ranked: 3, needsInput: 2 });
      expect(paged).toEqual([...whole.ranked, ...whole.needsInput].map((entry) => entry.id));
    });

    it("ranks as of a past time", async () => {
      const pastWorkspaceId = await createWorkspace(handle);
      const reader = await createTokenUser(handle, { workspaceIds: [pastWorkspaceId] });
      const before = (await markDatabaseTime(handle)).toISOString();
      await importBacklogCsv(handle.db, {
        workspaceId: pastWorkspaceId,
        actorId: null,
        csv: "title,reach,impact,confidence,effort\nA,100,1,80,1\n",
      });
      const fetchTotal = async (query: string) => {
        const response = await callRoute(rankingRoute.GET, {
          path: `/api/v1/workspaces/${pastWorkspaceId}/ranking?framework=rice${query}`,
          headers: reader.headers,
          params: { workspaceId: pastWorkspaceId },
        });
        expect(response.status).toBe(200);
        return ((await response.json()) as { total: { ranked: number } }).total.ranked;
      };

      expect(await fetchTotal(`&at=${encodeURIComponent(before)}`)).toBe(0);
      expect(await fetchTotal("")).toBe(1);
    });

    it("names an unknown query parameter", async () => {
      const unknown = await callRoute(rankingRoute.GET, {
        path: `/api/v1/workspaces/${workspaceId}/ranking?asOf=2020-01-01`,
        headers: member.headers,
        params: { workspaceId },
      });
      const future = await callRoute(rankingRoute.GET, {
        path: `/api/v1/workspaces/${workspaceId}/ranking?at=2999-01-01T00:00:00Z`,
        headers: member.headers,
        params: { workspaceId },
      });

      expect(unknown.status).toBe(400);
      expect((await errorOf(unknown)).message).toContain("asOf");
      expect(future.status).toBe(400);
      expect((await errorOf(future)).details).toEqual({ field: "at" });
    });

    it("names an unknown framework", async () => {
      const response = await callRoute(rankingRoute.GET, {
        path: `/api/v1/workspaces/${workspaceId}/ranking?framework=moscow`,
        headers: member.headers,
        params: { workspaceId },
      });
      expect(response.status).toBe(400);
      expect((await errorOf(response)).fields?.[0]?.path).toBe("framework");
    });

    it("hides the ranking from a user without access", async () => {
      const response = await callRoute(rankingRoute.GET, {
        path: `/api/v1/workspaces/${workspaceId}/ranking`,
        headers: outsider.headers,
        params: { workspaceId },
      });
      expect(response.status).toBe(404);
    });

    it("rejects a revoked token", async () => {
      const response = await callRoute(rankingRoute.GET, {
        path: `/api/v1/workspaces/${workspaceId}/ranking`,
        headers: revoked.headers,
        params: { workspaceId },
      });
      expect(response.status).toBe(401);
    });
  });

  describe("proposal review", () => {
    it("names a selection with neither ids nor run", async () => {
      const { body, headers } = jsonBody({ action: "accept" });
      const response = await callRoute(reviewRoute.POST, {
        path: `/api/v1/workspaces/${workspaceId}/proposals/review`,
        method: "POST",
        headers: { ...member.headers, ...headers },
        body,
        params: { workspaceId },
      });
      expect(response.status).toBe(400);
      expect((await errorOf(response)).fields?.[0]?.path).toBe("proposalIds");
    });

    it("rejects an unknown field in a review", async () => {
      const { body, headers } = jsonBody({ action: "accept", runId: crypto.randomUUID(), dryRun: true });
      const response = await callRoute(reviewRoute.POST, {
        path: `/api/v1/workspaces/${workspaceId}/proposals/review`,
        method: "POST",
        headers: { ...member.headers, ...headers },
        body,
        params: { workspaceId },
      });
      expect(response.status).toBe(400);
      const error = await errorOf(response);
      expect(error.fields?.map((field) => field.path)).toEqual(["dryRun"]);
      expect(error.message).toContain("action, proposalIds, runId, batchId");
    });

    it("accepts a run's proposals", async () => {
      const { item } = await createThroughApi("Proposed");
      const { recordProposals } = await import("@/lib/backlog/inputs");
      const runId = crypto.randomUUID();
      await recordProposals(handle.db, {
        workspaceId,
        runId,
        proposals: [{ itemId: item?.id ?? "", input: "reach", value: 300, rationale: "Seen often", evidenceIds: [] }],
      });
      const { body, headers } = jsonBody({ action: "accept", runId });
      const response = await callRoute(reviewRoute.POST, {
        path: `/api/v1/workspaces/${workspaceId}/proposals/review`,
        method: "POST",
        headers: { ...member.headers, ...headers },
        body,
        params: { workspaceId },
      });
      expect(response.status).toBe(200);
      const result = (await response.json()) as { reviewed: { status: string }[] };
      expect(result.reviewed.map((row) => row.status)).toEqual(["accepted"]);
    });
  });

  describe("openapi document", () => {
    it("documents every backlog route", async () => {
      const response = await callRoute(openApiRoute.GET, { path: "/api/v1/openapi.json", headers: member.headers });
      expect(response.status).toBe(200);
      const document = (await response.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
      expect(document.openapi).toBe("3.1.0");
      expect(Object.keys(document.paths)).toEqual(
        expect.arrayContaining([
          "/api/v1/tokens",
          "/api/v1/workspaces/{workspaceId}/items",
          "/api/v1/workspaces/{workspaceId}/items/{itemId}",
          "/api/v1/workspaces/{workspaceId}/items/{itemId}/inputs/{input}",
          "/api/v1/workspaces/{workspaceId}/items/import",
          "/api/v1/workspaces/{workspaceId}/items/export.csv",
          "/api/v1/workspaces/{workspaceId}/ranking",
          "/api/v1/workspaces/{workspaceId}/prioritizations",
          "/api/v1/runs/{runId}",
        ]),
      );
      expect(Object.keys(document.paths["/api/v1/workspaces/{workspaceId}/items/{itemId}"] ?? {})).toEqual([
        "get",
        "patch",
        "delete",
      ]);
    });

    it("documents the run start bodies", async () => {
      const response = await callRoute(openApiRoute.GET, { path: "/api/v1/openapi.json", headers: member.headers });
      const document = (await response.json()) as { paths: Record<string, Record<string, OpenApiOperation>> };
      const bodyOf = (path: string) =>
        document.paths[path]?.post?.requestBody?.content["application/json"]?.schema?.properties ?? {};

      expect(Object.keys(bodyOf("/api/v1/workspaces/{workspaceId}/prioritizations"))).toEqual(
        expect.arrayContaining(["framework", "language"]),
      );
      expect(Object.keys(bodyOf("/api/v1/runs"))).toEqual(expect.arrayContaining(["workspaceId", "kind", "input"]));
    });

    it("documents the document paste and upload bodies", async () => {
      const response = await callRoute(openApiRoute.GET, { path: "/api/v1/openapi.json", headers: member.headers });
      const document = (await response.json()) as { paths: Record<string, Record<string, OpenApiOperation>> };
      const content = document.paths["/api/v1/workspaces/{workspaceId}/documents"]?.post?.requestBody?.content ?? {};
      const paste = content["application/json"]?.schema;
      const upload = content["multipart/form-data"]?.schema;

      expect(Object.keys(paste?.properties ?? {})).toEqual(
        expect.arrayContaining(["title", "content", "kind", "itemRef", "itemId"]),
      );
      expect(paste?.additionalProperties).toBe(false);
      expect(Object.keys(upload?.properties ?? {})).toEqual(expect.arrayContaining(["file", "title"]));
    });
  });
});

interface OpenApiOperation {
  requestBody?: {
    content: Record<string, { schema?: { properties?: Record<string, unknown>; additionalProperties?: unknown } }>;
  };
}

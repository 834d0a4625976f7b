import { afterAll, beforeAll, expect, it, vi } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { listDocuments } from "@/db/queries/documents";
import { listDocumentChunks } from "@/db/queries/knowledge";
import type { Gateway } from "@/lib/ai";
import { createItem } from "@/lib/backlog/items";
import { createItemSchema } from "@/lib/backlog/schemas";
import { describeEachEngine } from "@/lib/testing/database";
import { createTokenUser } from "./actors";
import { createKnowledgeHarness, createWorkspaceWithUser, type KnowledgeHarness } from "./harness";

// The routes read the process-wide database and gateway; point both at this test's.
const current = vi.hoisted(() => ({
  handle: undefined as DatabaseHandle | undefined,
  gateway: undefined as Gateway | undefined,
}));
vi.mock("@/db", () => ({
  getDatabase: async () => current.handle,
  getDb: async () => current.handle?.db,
}));
vi.mock("@/lib/ai", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/lib/ai")>()),
  getGateway: () => current.gateway,
}));

const collection = await import("@/app/api/v1/workspaces/[workspaceId]/documents/route");
const single = await import("@/app/api/v1/workspaces/[workspaceId]/documents/[documentId]/route");
const indexing = await import("@/app/api/v1/workspaces/[workspaceId]/documents/indexing/route");

const base = "http://127.0.0.1/api/v1/workspaces";
const context = (params: Record<string, string>) => ({ params: Promise.resolve(params) });

function uploadForm(fileName: string, text: string, fields: Record<string, string> = {}): FormData {
  const form = new FormData();
  form.set("file", new File([text], fileName, { type: "text/plain" }));
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  return form;
}

describeEachEngine("documents routes", (engine) => {
  let harness: KnowledgeHarness;
  let workspaceId: string;
  let otherWorkspaceId: string;
  let member: { headers: Record<string, string> };
  let viewer: { headers: Record<string, string> };

  beforeAll(async () => {
    harness = await createKnowledgeHarness(engine);
    current.handle = harness.handle;
    current.gateway = harness.gateway;
    workspaceId = (await createWorkspaceWithUser(harness.handle)).workspaceId;
    otherWorkspaceId = (await createWorkspaceWithUser(harness.handle)).workspaceId;
    member = await createTokenUser(harness.handle, { workspaceId });
    viewer = await createTokenUser(harness.handle, { workspaceId, role: "viewer" });
  });

  afterAll(async () => {
    await harness?.close();
  });

  const post = (body: BodyInit, headers: Record<string, string>, target = workspaceId) =>
    collection.POST(
      new Request(`${base}/${target}/documents`, { method: "POST", body, headers }),
      context({ workspaceId: target }),
    );

  it("pastes a document and stores its chunks", async () => {
    const body = JSON.stringify({
      title: "Interview notes",
      content: "# Exports\n\nFinance teams want one Excel file.",
      language: "en",
    });
    const response = await post(body, { ...member.headers, "content-type": "application/json" });
    const created = await response.json();
    const documentId = created.documents[0].id as string;
    const chunks = await listDocumentChunks(harness.handle.db, { workspaceId, documentId });

    expect(response.status).toBe(201);
    expect(created.documents[0].kind).toBe("note");
    expect(chunks).toHaveLength(1);
    expect(chunks[0]?.heading).toBe("Exports");
  });

  it("uploads a JSONL file as one document per line", async () => {
    const lines = [
      JSON.stringify({ id: "FB1", text: "Please add PDF export.", source_url: "https://example.test/1" }),
      JSON.stringify({ id: "FB2", text: "Dark mode, please." }),
    ].join("\n");
    const response = await post(uploadForm("feedback.jsonl", lines, { language: "en" }), member.headers);
    const created = await response.json();

    expect(response.status).toBe(201);
    expect(created.documents.map((document: { externalId: string }) => document.externalId)).toEqual(["FB1", "FB2"]);
    expect(created.documents[0].kind).toBe("feedback");
    expect(created.documents[0].sourceUrl).toBe("https://example.test/1");
  });

  it("keeps a line's other keys in metadata", async () => {
    const ownWorkspaceId = (await createWorkspaceWithUser(harness.handle)).workspaceId;
    const owner = await createTokenUser(harness.handle, { workspaceId: ownWorkspaceId });
    const line = JSON.stringify({ id: "FB9", text: "Export to Excel.", votes: 12, customer: { plan: "pro" } });
    const response = await post(uploadForm("extra.jsonl", line), owner.headers, ownWorkspaceId);
    const created = await response.json();

    expect(response.status).toBe(201);
    expect(created.documents[0].metadata.fields).toEqual({ votes: 12, customer: { plan: "pro" } });
  });

  it("skips lines whose id already exists", async () => {
    const response = await post(
      uploadForm("again.jsonl", JSON.stringify({ id: "FB1", text: "Again." })),
      member.headers,
    );
    const created = await response.json();

    expect(response.status).toBe(201);
    expect(created.documents).toEqual([]);
    expect(created.skippedExternalIds).toEqual(["FB1"]);
  });

  it("uploads a CSV file as one document", async () => {
    const response = await post(
      uploadForm("survey.csv", "id,answer\n1,We export every week\n2,PDF please\n"),
      member.headers,
    );
    const created = await response.json();

    expect(response.status).toBe(201);
    expect(created.documents).toHaveLength(1);
    expect(created.documents[0].title).toBe("survey");
    expect(created.documents[0].metadata.format).toBe("csv");
  });

  it("rejects an invalid JSONL line by number", async () => {
    const lines = `${JSON.stringify({ id: "OK1", text: "Fine." })}\n{"id": "BAD"}`;
    const response = await post(uploadForm("broken.jsonl", lines), member.headers);
    const body = await response.json();

    expect(response.status).toBe(400);
    expect(body.error.message).toContain("line 2");
    expect(body.error.message).toContain("text");
  });

  it("rejects a JSONL id repeated within the file", async () => {
    const lines = [
      JSON.stringify({ id: "QF3", text: "ok" }),
      JSON.stringify({ id: "QF4", text: "other" }),
      JSON.stringify({ id: "QF3", text: "duplicate id" }),
    ].join("\n");
    const response = await post(uploadForm("repeated.jsonl", lines), member.headers);
    const body = await response.json();
    const stored = await listDocuments(harness.handle.db, { workspaceId, externalIds: ["QF3", "QF4"] });

    expect(response.status).toBe(400);
    expect(body.error.details.reason).toBe("upload_line_duplicate_id");
    expect(body.error.details.line).toBe(3);
    expect(body.error.details.params).toEqual({ fileName: "repeated.jsonl", firstLine: 1, line: 3, id: "QF3" });
    expect(body.error.message).toBe(
      'repeated.jsonl line 1 and line 3 have the same id "QF3". Give each line its own id.',
    );
    expect(stored).toEqual([]);
  });

  it("uploads a CSV with repeated id cells as one document", async () => {
    const response = await post(uploadForm("repeats.csv", "id,answer\nQ1,Yes\nQ1,No\n"), member.headers);
    const created = await response.json();

    expect(response.status).toBe(201);
    expect(created.documents).toHaveLength(1);
    expect(created.documents[0].content).toBe("id,answer\nQ1,Yes\nQ1,No\n");
    expect(created.skippedExternalIds).toEqual([]);
  });

  it("rejects an unsupported file type", async () => {
    const response = await post(uploadForm("slides.pdf", "%PDF-1.4"), member.headers);
    const body = await response.json();

    expect(response.status).toBe(400);
    expect(body.error.details.field).toBe("file");
  });

  it("rejects a second file in one upload", async () => {
    const form = uploadForm("one.md", "# One\n\nFirst file.");
    form.append("file", new File(["Second file."], "two.txt", { type: "text/plain" }));
    const response = await post(form, member.headers);
    const body = await response.json();

    expect(response.status).toBe(400);
    expect(body.error.details).toMatchObject({ field: "file", reason: "upload_field_repeated" });
    expect(body.error.message).toContain("one file per request");
  });

  it("rejects a text field repeated as file", async () => {
    const form = new FormData();
    form.append("file", "plain text");
    form.append("file", new File(["# Notes"], "notes.md", { type: "text/markdown" }));
    const response = await post(form, member.headers);
    const body = await response.json();

    expect(response.status).toBe(400);
    expect(body.error.details.reason).toBe("upload_field_repeated");
  });

  it("rejects a paste without content", async () => {
    const response = await post(JSON.stringify({ title: "Empty", content: " " }), {
      ...member.headers,
      "content-type": "application/json",
    });
    const body = await response.json();

    expect(response.status).toBe(400);
    expect(body.error.fields[0].path).toBe("content");
  });

  it("links a pasted document to an item by id", async () => {
    const { userId } = await createWorkspaceWithUser(harness.handle);
    const item = await createItem(harness.handle.db, {
      workspaceId,
      actorId: userId,
      fields: createItemSchema.parse({ title: "PDF export" }),
    });
    const body = JSON.stringify({ title: "Call notes", content: "Wants PDF export.", itemId: item.id });
    const response = await post(body, { ...member.headers, "content-type": "application/json" });
    const created = await response.json();

    expect(response.status).toBe(201);
    expect(created.documents[0].itemId).toBe(item.id);
  });

  it("answers 404 to an item id of another workspace", async () => {
    const other = await createWorkspaceWithUser(harness.handle);
    const foreignItem = await createItem(harness.handle.db, {
      workspaceId: other.workspaceId,
      actorId: other.userId,
      fields: createItemSchema.parse({ title: "Secret" }),
    });
    const headers = { ...member.headers, "content-type": "application/json" };
    const paste = (itemId: string) => JSON.stringify({ title: "Linked", content: "Text.", itemId });

    const foreign = await post(paste(foreignItem.id), headers);
    const unknown = await post(paste(crypto.randomUUID()), headers);
    const foreignBody = await foreign.json();
    const unknownBody = await unknown.json();
    const stored = await listDocuments(harness.handle.db, { workspaceId, search: "Linked" });

    expect(foreign.status).toBe(404);
    expect(unknown.status).toBe(404);
    expect(foreignBody).toEqual(unknownBody);
    expect(stored).toEqual([]);
  });

  it("rejects an unknown field in a paste", async () => {
    const response = await post(JSON.stringify({ title: "T", content: "C", bogus: 1 }), {
      ...member.headers,
      "content-type": "application/json",
    });
    const body = await response.json();

    expect(response.status).toBe(400);
    expect(body.error.fields).toEqual([{ path: "bogus", message: expect.stringContaining("unknown field") }]);
  });

  it("forbids viewers to add documents", async () => {
    const response = await post(JSON.stringify({ title: "T", content: "C" }), {
      ...viewer.headers,
      "content-type": "application/json",
    });

    expect(response.status).toBe(403);
  });

  it("hides another workspace's documents", async () => {
    const response = await collection.GET(
      new Request(`${base}/${otherWorkspaceId}/documents`, { headers: member.headers }),
      context({ workspaceId: otherWorkspaceId }),
    );

    expect(response.status).toBe(404);
  });

  it("lists documents with their index state", async () => {
    await harness.indexer.runPass();
    const response = await collection.GET(
      new Request(`${base}/${workspaceId}/documents?kind=feedback`, { headers: member.headers }),
      context({ workspaceId }),
    );
    const body = await response.json();

    expect(response.status).toBe(200);
    expect(body.total).toBe(2);
    expect(body.documents[0].chunkCount).toBe(1);
    expect(body.documents[0].embeddedCount).toBe(1);
  });

  it("reports the embedding job", async () => {
    const response = await indexing.GET(
      new Request(`${base}/${workspaceId}/documents/indexing`, { headers: member.headers }),
      context({ workspaceId }),
    );
    const body = await response.json();

    expect(response.status).toBe(200);
    expect(body.job.status).toBe("completed");
    expect(body.job.progress).toBe(1);
  });

  it("opens a document with its chunks and deletes it", async () => {
    const list = await (
      await collection.GET(
        new Request(`${base}/${workspaceId}/documents?search=Dark`, { headers: member.headers }),
        context({ workspaceId }),
      )
    ).json();
    const documentId = list.documents[0].id as string;
    const params = { workspaceId, documentId };
    const url = `${base}/${workspaceId}/documents/${documentId}`;

    const opened = await single.GET(new Request(url, { headers: member.headers }), context(params));
    const removed = await single.DELETE(
      new Request(url, { method: "DELETE", headers: member.headers }),
      context(params),
    );
    const reopened = await single.GET(new Request(url, { headers: member.headers }), context(params));
    const chunks = await listDocumentChunks(harness.handle.db, params);

    expect(opened.status).toBe(200);
    expect((await opened.json()).chunks[0].text).toBe("Dark mode, please.");
    expect(removed.status).toBe(204);
    expect(reopened.status).toBe(404);
    expect(chunks).toEqual([]);
  });

  it("answers 404 for a malformed document id", async () => {
    const params = { workspaceId, documentId: "not-a-uuid" };
    const response = await single.DELETE(
      new Request(`${base}/${workspaceId}/documents/not-a-uuid`, { method: "DELETE", headers: member.headers }),
      context(params),
    );

    expect(response.status).toBe(404);
  });
});

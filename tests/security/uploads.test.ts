import { deflateRawSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { describeEachEngine } from "@/lib/testing/database";
import {
  createReliabilityHarness,
  createWorkspaceWithUsers,
  type ReliabilityHarness,
  type RouteMocks,
} from "../reliability/harness";

/**
 * Hostile uploads to the two upload routes, the backlog CSV import and the knowledge documents:
 * oversized bodies, files of the wrong type, a 100,000-row CSV, a zip bomb renamed `.csv`, a
 * binary file renamed `.txt` and invalid UTF-8. Each gets a 4xx that names the problem, and the
 * app serves the next request as usual.
 */

const mocks = vi.hoisted(() => ({}) as RouteMocks);
vi.mock("@/lib/ai", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/lib/ai")>()),
  getGateway: () => mocks.gateway,
}));
vi.mock("@/lib/pipeline/app-runtime", () => ({ getPipelineRuntime: async () => mocks.runtime }));
vi.mock("next-auth", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next-auth")>()),
  getServerSession: async () =>
    mocks.sessionUserId ? { user: { id: mocks.sessionUserId }, expires: "2999-01-01T00:00:00.000Z" } : null,
}));

const importRoute = await import("@/app/api/v1/workspaces/[workspaceId]/items/import/route");
const documentsRoute = await import("@/app/api/v1/workspaces/[workspaceId]/documents/route");
const rankingRoute = await import("@/app/api/v1/workspaces/[workspaceId]/ranking/route");

const MIB = 1024 * 1024;

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** Build a zip archive of one file of `size` zero bytes, deflated to a few kilobytes. */
function buildZipBomb(size: number): Buffer {
  const content = Buffer.alloc(size);
  const compressed = deflateRawSync(content, { level: 9 });
  const name = Buffer.from("items.csv");
  const crc = crc32(content);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(compressed.length, 18);
  local.writeUInt32LE(size, 22);
  local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(compressed.length, 20);
  central.writeUInt32LE(size, 24);
  central.writeUInt16LE(name.length, 28);
  const centralOffset = local.length + name.length + compressed.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + name.length, 12);
  end.writeUInt32LE(centralOffset, 16);
  return Buffer.concat([local, name, compressed, central, name, end]);
}

function csvOfRows(rows: number): string {
  const lines = ["title,theme,reach"];
  for (let index = 1; index <= rows; index++) lines.push(`Imported item ${index},Bulk,${index}`);
  return `${lines.join("\n")}\n`;
}

/** Stream a body in 1 MiB chunks without a Content-Length, so the server cannot reject it up front. */
function streamOf(totalBytes: number): ReadableStream<Uint8Array> {
  let sent = 0;
  const chunk = new Uint8Array(MIB).fill(0x61);
  return new ReadableStream({
    pull(controller) {
      if (sent >= totalBytes) {
        controller.close();
        return;
      }
      controller.enqueue(chunk);
      sent += chunk.length;
    },
  });
}

describeEachEngine("hostile uploads", (engine) => {
  let harness: ReliabilityHarness;
  let workspaceId: string;

  beforeAll(async () => {
    harness = await createReliabilityHarness(engine, mocks);
    const created = await createWorkspaceWithUsers(harness.handle, ["member"]);
    workspaceId = created.workspaceId;
    mocks.sessionUserId = created.users.member;
  });

  afterAll(async () => {
    mocks.sessionUserId = undefined;
    await harness?.close();
  });

  const params = () => ({ params: Promise.resolve({ workspaceId }) });

  async function importCsv(body: BodyInit, query = "", headers: Record<string, string> = {}) {
    const init: RequestInit & { duplex?: string } = {
      method: "POST",
      headers: { "content-type": "text/csv", ...headers },
      body,
      duplex: "half",
    };
    const response = await importRoute.POST(
      new Request(`http://127.0.0.1/api/v1/workspaces/${workspaceId}/items/import${query}`, init),
      params(),
    );
    return { status: response.status, body: (await response.json()) as { error?: { code: string; message: string } } };
  }

  async function uploadDocument(fileName: string, bytes: Uint8Array | string, type = "application/octet-stream") {
    const form = new FormData();
    form.set("file", new File([typeof bytes === "string" ? bytes : new Uint8Array(bytes)], fileName, { type }));
    const response = await documentsRoute.POST(
      new Request(`http://127.0.0.1/api/v1/workspaces/${workspaceId}/documents`, { method: "POST", body: form }),
      params(),
    );
    return { status: response.status, body: (await response.json()) as { error?: { code: string; message: string } } };
  }

  /** Post a multipart upload with extra form fields, optionally under another spelling of its media type. */
  async function uploadWithFields(
    fileName: string,
    content: string,
    fields: Record<string, string>,
    renameMediaType?: (contentType: string) => string,
  ) {
    const form = new FormData();
    form.set("file", new File([content], fileName, { type: "text/plain" }));
    for (const [name, value] of Object.entries(fields)) form.set(name, value);
    const url = `http://127.0.0.1/api/v1/workspaces/${workspaceId}/documents`;
    const encoded = new Request(url, { method: "POST", body: form });
    const contentType = encoded.headers.get("content-type") ?? "";
    const response = await documentsRoute.POST(
      new Request(url, {
        method: "POST",
        headers: { "content-type": renameMediaType ? renameMediaType(contentType) : contentType },
        body: await encoded.arrayBuffer(),
      }),
      params(),
    );
    return {
      status: response.status,
      body: (await response.json()) as {
        error?: {
          code: string;
          message: string;
          details?: { field?: string; line?: number; params?: { keys?: string } };
        };
      },
    };
  }

  async function rankingStatus(): Promise<number> {
    const response = await rankingRoute.GET(
      new Request(`http://127.0.0.1/api/v1/workspaces/${workspaceId}/ranking`),
      params(),
    );
    await response.body?.cancel();
    return response.status;
  }

  describe("backlog CSV import", () => {
    it("rejects a declared oversized body with 413", async () => {
      const result = await importCsv("title\nx\n", "", { "content-length": String(60 * MIB) });

      expect(result.status).toBe(413);
      expect(result.body.error?.message).toMatch(/larger than/);
    });

    it("stops reading an undeclared oversized body with 413", async () => {
      const result = await importCsv(streamOf(51 * MIB));

      expect(result.status).toBe(413);
      expect(result.body.error?.code).toBe("body_too_large");
      expect(await rankingStatus()).toBe(200);
    });

    it("rejects a zip bomb renamed .csv as binary", async () => {
      const result = await importCsv(new Uint8Array(buildZipBomb(20 * MIB)));

      expect(result.status).toBe(400);
      expect(result.body.error?.code).toBe("csv_binary");
      expect(result.body.error?.message).toMatch(/not CSV text/);
    });

    it("rejects a PDF as binary", async () => {
      const result = await importCsv("%PDF-1.7\n1 0 obj\n<<>>\nendobj\n");

      expect(result.status).toBe(400);
      expect(result.body.error?.message).toMatch(/PDF/);
    });

    it("rejects invalid UTF-8 naming the line", async () => {
      const bytes = Buffer.concat([Buffer.from("title\nGood\nBad \xff\xfe item\n", "latin1")]);
      const result = await importCsv(bytes);

      expect(result.status).toBe(400);
      expect(result.body.error?.code).toBe("csv_invalid_utf8");
      expect(result.body.error?.message).toMatch(/line 3/);
    });

    it("rejects 100,001 rows naming the limit", async () => {
      const result = await importCsv(csvOfRows(100_001));

      expect(result.status).toBe(400);
      expect(result.body.error?.code).toBe("csv_too_many_rows");
      expect(result.body.error?.message).toMatch(/100000/);
    });

    it("lists the errors of 100,000 invalid rows while other requests are served", async () => {
      const csv = csvOfRows(100_000).replace(/,(\d+)\n/g, ",many\n");
      const [result, rankingResult] = await Promise.all([importCsv(csv), rankingStatus()]);
      const details = (result.body.error as { details?: { errorCount: number } } | undefined)?.details;

      expect(result.status).toBe(400);
      expect(result.body.error?.code).toBe("invalid_rows");
      expect(result.body.error?.message).toMatch(/^100000 row\(s\) have errors, so nothing was imported/);
      expect(details?.errorCount).toBe(100_000);
      expect(rankingResult).toBe(200);
      expect(await rankingStatus()).toBe(200);
    }, 60_000);
  });

  describe("knowledge document upload", () => {
    it("rejects a file over the upload limit with 413", async () => {
      const result = await uploadDocument("notes.txt", new Uint8Array(6 * 1000 * 1000).fill(0x61), "text/plain");

      expect(result.status).toBe(413);
      expect(result.body.error?.message).toMatch(/larger than/);
    });

    it.each([
      ["report.pdf", "%PDF-1.7\n"],
      ["photo.png", "\x89PNG\r\n\x1a\n"],
      ["tool.exe", "MZ\x90\x00"],
    ])("rejects %s as an unsupported type", async (fileName, content) => {
      const result = await uploadDocument(fileName, Buffer.from(content, "latin1"));

      expect(result.status).toBe(400);
      expect(result.body.error?.message).toMatch(/unsupported type/);
    });

    it("rejects an unknown form field", async () => {
      const result = await uploadWithFields("notes.txt", "Some notes", { itemRef: "A25" });

      expect(result.status).toBe(400);
      expect(result.body.error?.details?.field).toBe("itemRef");
      expect(result.body.error?.message).toContain("Unknown upload fields: itemRef");
    });

    it("rejects a zip bomb renamed .csv", async () => {
      const result = await uploadDocument("feedback.csv", buildZipBomb(4 * MIB), "text/csv");

      expect(result.status).toBe(400);
      expect(await rankingStatus()).toBe(200);
    });

    it("rejects a binary file renamed .txt", async () => {
      const result = await uploadDocument("notes.txt", Buffer.from("header\u0000\u0001\u0002 binary\u0000", "latin1"));

      expect(result.status).toBe(400);
      expect(result.body.error?.message).toMatch(/notes\.txt/);
    });

    it("rejects a NUL character in a pasted document", async () => {
      const response = await documentsRoute.POST(
        new Request(`http://127.0.0.1/api/v1/workspaces/${workspaceId}/documents`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ title: "Pasted", content: "text with a \u0000 NUL" }),
        }),
        params(),
      );
      const body = (await response.json()) as { error: { message: string; details?: { field: string } } };

      expect(response.status).toBe(400);
      expect(body.error.details?.field).toBe("content");
    });

    it("rejects a NUL character in the title field", async () => {
      const result = await uploadWithFields("notes.txt", "Some notes", { title: "bad \u0000 title" });

      expect(result.status).toBe(400);
      expect(result.body.error?.details?.field).toBe("title");
      expect(result.body.error?.message).toContain("NUL");
    });

    it("rejects a NUL character in the file name", async () => {
      const result = await uploadWithFields("notes\u0000.txt", "Some notes", {});

      expect(result.status).toBe(400);
      expect(result.body.error?.details?.field).toBe("file");
      expect(result.body.error?.message).toContain("file name");
    });

    it.each([
      ["a NUL in text", '{"text":"nul \\u0000 here"}', "text"],
      ["a NUL in title", '{"text":"fine","title":"nul \\u0000"}', "title"],
      ["a lone surrogate in text", '{"text":"half \\ud800 pair"}', "text"],
    ])("rejects a JSONL line with %s naming line and field", async (_case, line, field) => {
      const result = await uploadWithFields("feedback.jsonl", `{"text":"first line"}\n${line}\n`, {});

      expect(result.status).toBe(400);
      expect(result.body.error?.details?.field).toBe("file");
      expect(result.body.error?.details?.line).toBe(2);
      expect(result.body.error?.details?.params?.keys).toBe(field);
      expect(result.body.error?.message).toContain(`line 2 is invalid: ${field}`);
    });

    it("accepts a mixed-case multipart media type", async () => {
      const result = await uploadWithFields("mixed-case.txt", "Some notes", {}, (type) =>
        type.replace("multipart/form-data", "Multipart/Form-Data"),
      );

      expect(result.status).toBe(201);
    });

    it("accepts a mixed-case JSON media type", async () => {
      const response = await documentsRoute.POST(
        new Request(`http://127.0.0.1/api/v1/workspaces/${workspaceId}/documents`, {
          method: "POST",
          headers: { "content-type": "Application/JSON" },
          body: JSON.stringify({ title: "Pasted", content: "Mixed-case media type" }),
        }),
        params(),
      );

      expect(response.status).toBe(201);
    });

    it("rejects invalid UTF-8", async () => {
      const result = await uploadDocument(
        "notes.md",
        Buffer.from("# Notes\n\xff\xfe caf\xe9\n", "latin1"),
        "text/markdown",
      );

      expect(result.status).toBe(400);
      expect(result.body.error?.message).toMatch(/not UTF-8/);
      expect(await rankingStatus()).toBe(200);
    });
  });
});

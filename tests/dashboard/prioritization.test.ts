import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { listBacklogItems } from "@/db/queries/backlog";
import { listProposals } from "@/db/queries/backlog-inputs";
import { listDocuments } from "@/db/queries/documents";
import { listBatches, listModelCalls } from "@/db/queries/runs";
import { insertWorkspace } from "@/db/queries/workspaces";
import { createItem, deleteItems } from "@/lib/backlog/items";
import { startKnowledgeIndexer } from "@/lib/knowledge/indexer";
import type { PipelineRuntime } from "@/lib/pipeline/runtime";
import { retryFailedBatches } from "@/lib/pipeline/service";
import { getPrioritizationRunView } from "@/lib/prioritization/ai-runs";
import { isValidInputValue } from "@/lib/prioritization/scales";
import { describeEachEngine } from "@/lib/testing/database";
import { createTokenUser } from "../knowledge/actors";
import { createDashboardHarness, type DashboardHarness } from "./harness";

// The routes read the process-wide database and pipeline; point both at the test's.
const current = vi.hoisted(() => ({
  handle: undefined as DatabaseHandle | undefined,
  runtime: undefined as PipelineRuntime | undefined,
}));
vi.mock("@/db", () => ({
  getDatabase: async () => current.handle,
  getDb: async () => current.handle?.db,
}));
vi.mock("@/lib/pipeline/app-runtime", () => ({ getPipelineRuntime: async () => current.runtime }));

const collection = await import("@/app/api/v1/workspaces/[workspaceId]/prioritizations/route");
const single = await import("@/app/api/v1/workspaces/[workspaceId]/prioritizations/[runId]/route");

const base = "http://127.0.0.1/api/v1/workspaces";
const context = (params: Record<string, string>) => ({ params: Promise.resolve(params) });

function use(harness: DashboardHarness) {
  current.handle = harness.handle;
  current.runtime = harness.runtime;
}

async function startOverHttp(workspaceId: string, headers: Record<string, string>, body: unknown) {
  return collection.POST(
    new Request(`${base}/${workspaceId}/prioritizations`, {
      method: "POST",
      body: JSON.stringify(body),
      headers: { ...headers, "content-type": "application/json" },
    }),
    context({ workspaceId }),
  );
}

/** Item uuids by external id (`A01`). */
async function itemIdsByRef(harness: DashboardHarness): Promise<Map<string, string>> {
  const items = await listBacklogItems(harness.handle.db, { workspaceId: harness.workspaceId });
  return new Map(items.map((item) => [item.externalId ?? "", item.id]));
}

describeEachEngine("prioritization task", (engine) => {
  let harness: DashboardHarness;
  let member: { headers: Record<string, string> };

  beforeAll(async () => {
    harness = await createDashboardHarness(engine);
    use(harness);
    member = await createTokenUser(harness.handle, { workspaceId: harness.workspaceId });
  });

  afterAll(async () => {
    await harness?.close();
  });

  describe("a full run", () => {
    let runId: string;
    let status: number;

    beforeAll(async () => {
      use(harness);
      const response = await startOverHttp(harness.workspaceId, member.headers, { framework: "rice" });
      status = response.status;
      runId = (await response.json()).runId;
      await harness.waitForRun(runId);
    });

    it("answers 202 with the run id", () => {
      expect(status).toBe(202);
      expect(runId).toMatch(/^[0-9a-f-]{36}$/);
    });

    it("completes with one batch per theme", async () => {
      const batches = await listBatches(harness.handle.db, { runId });
      expect(batches.map((batch) => batch.label)).toEqual([
        "Alerts & Subscriptions",
        "Export",
        "Permissions",
        "Security",
        "Sharing",
      ]);
      expect(batches.every((batch) => batch.status === "succeeded")).toBe(true);
    });

    it("stores proposals with their provenance", async () => {
      const proposals = await listProposals(harness.handle.db, { workspaceId: harness.workspaceId, runId });
      const batchIds = new Set((await listBatches(harness.handle.db, { runId })).map((batch) => batch.id));

      expect(proposals.length).toBeGreaterThan(0);
      expect(proposals.every((row) => row.source === "ai" && row.status === "proposed")).toBe(true);
      expect(proposals.every((row) => row.batchId !== null && batchIds.has(row.batchId))).toBe(true);
      expect(proposals.every((row) => (row.rationale ?? "").length > 0)).toBe(true);
      expect(proposals.every((row) => row.value === null || isValidInputValue(row.input, row.value))).toBe(true);
    });

    it("proposes only the missing inputs", async () => {
      const ids = await itemIdsByRef(harness);
      const proposals = await listProposals(harness.handle.db, { workspaceId: harness.workspaceId, runId });
      const proposedItems = new Set(proposals.map((row) => row.itemId));

      // A01, A04, A07 and A10 were seeded with every RICE input, so nothing is proposed for them.
      for (const ref of ["A01", "A04", "A07", "A10"]) expect(proposedItems.has(ids.get(ref) ?? "")).toBe(false);
      const inputs = proposals.filter((row) => row.itemId === ids.get("A02")).map((row) => row.input);
      expect(inputs.sort()).toEqual(["confidence", "effort", "impact", "reach"]);
    });

    it("cites the item's own feedback first", async () => {
      const ids = await itemIdsByRef(harness);
      const itemId = ids.get("A02") ?? "";
      const linked = await listDocuments(harness.handle.db, { workspaceId: harness.workspaceId, itemIds: [itemId] });
      const reach = (await listProposals(harness.handle.db, { workspaceId: harness.workspaceId, runId })).find(
        (row) => row.itemId === itemId && row.input === "reach",
      );

      expect(reach?.evidenceIds.length).toBeGreaterThan(0);
      expect(reach?.evidenceIds.slice(0, linked.length)).toEqual(linked.map((document) => document.externalId));
    });

    it("renders the prioritizer prompt in the run language", async () => {
      const calls = await listModelCalls(harness.handle.db, { runId });
      expect(calls.every((call) => call.promptKey === "prioritizer")).toBe(true);
      expect(calls.every((call) => call.language === "en")).toBe(true);
    });

    it("serves the run view over HTTP", async () => {
      const response = await single.GET(
        new Request(`${base}/${harness.workspaceId}/prioritizations/${runId}`, { headers: member.headers }),
        context({ workspaceId: harness.workspaceId, runId }),
      );
      const view = await response.json();

      expect(response.status).toBe(200);
      expect(view.activity.status).toBe("completed");
      expect(view.batches).toHaveLength(5);
      expect(view.batches[1].proposals.length).toBeGreaterThan(0);
    });
  });

  it("renders the prompt in the requested language", async () => {
    const ids = await itemIdsByRef(harness);
    const response = await startOverHttp(harness.workspaceId, member.headers, {
      framework: "ice",
      language: "fr",
      itemIds: [ids.get("A02")],
    });
    const { runId } = await response.json();
    await harness.waitForRun(runId);
    const calls = await listModelCalls(harness.handle.db, { runId });

    expect(calls).toHaveLength(1);
    expect(calls[0]?.language).toBe("fr");
    expect(calls[0]?.messages[1]?.content).toContain("français");
  });

  it("rejects an unknown framework naming the field", async () => {
    const response = await startOverHttp(harness.workspaceId, member.headers, { framework: "moscow" });
    const body = await response.json();

    expect(response.status).toBe(400);
    expect(body.error.message).toContain("framework");
  });

  it("rejects an unsupported language", async () => {
    const response = await startOverHttp(harness.workspaceId, member.headers, { framework: "rice", language: "de" });
    const body = await response.json();

    expect(response.status).toBe(400);
    expect(body.error.fields.map((field: { path: string }) => field.path)).toEqual(["language"]);
    expect(body.error.message).toContain("expected one of en, fr");
  });

  it("rejects an unknown body key naming it", async () => {
    const response = await startOverHttp(harness.workspaceId, member.headers, { frameworkk: "rice" });
    const body = await response.json();

    expect(response.status).toBe(400);
    expect(body.error.message).toContain("frameworkk");
  });

  it("rejects an empty theme naming its index", async () => {
    const response = await startOverHttp(harness.workspaceId, member.headers, { themes: [""] });
    const body = await response.json();

    expect(response.status).toBe(400);
    expect(body.error.fields.map((field: { path: string }) => field.path)).toContain("themes[0]");
  });

  it("rejects themes of no live item listing them", async () => {
    const response = await startOverHttp(harness.workspaceId, member.headers, { themes: ["nope"] });
    const body = await response.json();

    expect(response.status).toBe(400);
    expect(body.error.details.field).toBe("themes");
    expect(body.error.details.unknownThemes).toEqual(["nope"]);
    expect(body.error.message).toContain('"nope"');
  });

  it("answers 404 for a workspace the token cannot see", async () => {
    const stranger = await createTokenUser(harness.handle, { workspaceId: harness.workspaceId });
    const other = await insertWorkspace(harness.handle.db, { name: "Someone else's" });
    const response = await startOverHttp(other.id, stranger.headers, {});

    expect(response.status).toBe(404);
  });

  it("answers 409 when a selection has nothing to propose", async () => {
    const ids = await itemIdsByRef(harness);
    const response = await startOverHttp(harness.workspaceId, member.headers, { itemIds: [ids.get("A01")] });
    const body = await response.json();

    expect(response.status).toBe(409);
    expect(body.error.code).toBe("nothing_to_propose");
    expect(body.error.details.field).toBe("itemIds");
  });

  it("ends partial on a failed batch and completes on retry", async () => {
    use(harness);
    // A retry skips content-filtered batches, so this batch gets a server error, which a retry can clear.
    harness.simulator.setFaultRules([{ match: '"theme":"Permissions"', fault: "server_error" }]);
    const response = await startOverHttp(harness.workspaceId, member.headers, { framework: "wsjf" });
    const { runId } = await response.json();
    const partial = await harness.waitForRun(runId);
    const failed = (await listBatches(harness.handle.db, { runId })).filter((batch) => batch.status !== "succeeded");
    const beforeRetry = await listProposals(harness.handle.db, { workspaceId: harness.workspaceId, runId });

    expect(partial.status).toBe("partial");
    expect(failed.map((batch) => batch.label)).toEqual(["Permissions"]);
    expect(failed[0]?.outcome).toBe("failed");
    expect(beforeRetry.some((row) => row.batchId === failed[0]?.id)).toBe(false);
    expect(beforeRetry.length).toBeGreaterThan(0);

    harness.simulator.setFaultRules([]);
    await retryFailedBatches(harness.runtime, partial);
    const retried = await harness.waitForRun(runId);
    const afterRetry = await listProposals(harness.handle.db, { workspaceId: harness.workspaceId, runId });

    expect(retried.status).toBe("completed");
    expect(afterRetry.some((row) => row.batchId === failed[0]?.id)).toBe(true);
  });
});

describeEachEngine("prioritization evidence checks", (engine) => {
  let harness: DashboardHarness;
  let runId: string;

  beforeAll(async () => {
    // The model is shown an extra evidence id, ZZ999, that the task never put in the prompt: A02
    // may cite it beside its own feedback, and A03 is given nothing else to cite.
    harness = await createDashboardHarness(engine, {
      items: 5,
      wrapRenderer: (render) => async (params) => {
        const prompt = await render(params);
        if (params.promptKey !== "prioritizer") return prompt;
        const messages = prompt.messages.map((message) =>
          message.role === "user" ? { ...message, content: injectUnknownEvidence(message.content) } : message,
        );
        return { ...prompt, messages };
      },
    });
    use(harness);
    const member = await createTokenUser(harness.handle, { workspaceId: harness.workspaceId });
    const response = await startOverHttp(harness.workspaceId, member.headers, { framework: "rice" });
    runId = (await response.json()).runId;
    await harness.waitForRun(runId);
  });

  afterAll(async () => {
    await harness?.close();
  });

  it("removes unknown ids from kept proposals", async () => {
    const ids = await itemIdsByRef(harness);
    const proposals = await listProposals(harness.handle.db, { workspaceId: harness.workspaceId, runId });
    const a02 = proposals.filter((row) => row.itemId === ids.get("A02"));

    expect(a02).toHaveLength(4);
    expect(a02.every((row) => !row.evidenceIds.includes("ZZ999"))).toBe(true);
    expect(a02.every((row) => row.evidenceIds.length > 0)).toBe(true);
  });

  it("drops values that cite only unknown ids", async () => {
    const ids = await itemIdsByRef(harness);
    const proposals = await listProposals(harness.handle.db, { workspaceId: harness.workspaceId, runId });

    expect(proposals.filter((row) => row.itemId === ids.get("A03"))).toHaveLength(0);
  });

  it("reports what was dropped in the run view", async () => {
    const view = await getPrioritizationRunView(harness.handle.db, { workspaceId: harness.workspaceId, runId });
    const exportBatch = view.batches.find((batch) => batch.label === "Export");

    expect(view.activity.status).toBe("completed");
    expect(exportBatch?.filtered?.unknownEvidenceIds).toEqual(["ZZ999"]);
    expect(exportBatch?.filtered?.dropped.map((drop) => `${drop.ref}:${drop.input}:${drop.reason}`)).toEqual([
      "A03:reach:unknown_evidence_only",
      "A03:impact:unknown_evidence_only",
      "A03:confidence:unknown_evidence_only",
      "A03:effort:unknown_evidence_only",
    ]);
  });
});

describeEachEngine("prioritization of an item deleted mid-run", (engine) => {
  let harness: DashboardHarness;
  let deletedId: string | undefined;

  beforeAll(async () => {
    // A02 is deleted after its batch's prompt is rendered, so the model still proposes its inputs.
    harness = await createDashboardHarness(engine, {
      items: 5,
      wrapRenderer: (render) => async (params) => {
        const prompt = await render(params);
        if (params.promptKey === "prioritizer" && !deletedId) {
          const ids = await itemIdsByRef(harness);
          deletedId = ids.get("A02");
          if (deletedId) {
            await deleteItems(harness.handle.db, {
              workspaceId: harness.workspaceId,
              actorId: null,
              itemIds: [deletedId],
            });
          }
        }
        return prompt;
      },
    });
    use(harness);
  });

  afterAll(async () => {
    await harness?.close();
  });

  it("drops the deleted item's proposals", async () => {
    const member = await createTokenUser(harness.handle, { workspaceId: harness.workspaceId });
    const response = await startOverHttp(harness.workspaceId, member.headers, { framework: "rice" });
    const { runId } = await response.json();
    const run = await harness.waitForRun(runId);
    const proposals = await listProposals(harness.handle.db, { workspaceId: harness.workspaceId, runId });

    expect(deletedId).toBeDefined();
    expect(run.status).toBe("completed");
    expect(proposals.some((row) => row.itemId === deletedId)).toBe(false);
    expect(proposals.length).toBeGreaterThan(0);
  });
});

/** Add ZZ999 to the prompt's evidence block, to A02's evidence ids, and make it A03's only id. */
function injectUnknownEvidence(content: string): string {
  return content
    .replace(/<evidence>\n([\s\S]*?)\n<\/evidence>/, (_match, json: string) => {
      const evidence = JSON.parse(json) as Array<{ id: string; text: string }>;
      evidence.push({ id: "ZZ999", text: "A customer says everyone needs this." });
      return `<evidence>\n${JSON.stringify(evidence)}\n</evidence>`;
    })
    .replace(/<backlog_items>\n([\s\S]*?)\n<\/backlog_items>/, (_match, json: string) => {
      const items = JSON.parse(json) as Array<{ id: string; evidence_ids: string[] }>;
      for (const item of items) {
        if (item.id === "A02") item.evidence_ids.push("ZZ999");
        if (item.id === "A03") item.evidence_ids = ["ZZ999"];
      }
      return `<backlog_items>\n${JSON.stringify(items)}\n</backlog_items>`;
    });
}

describeEachEngine("prioritization retrieval", (engine) => {
  let harness: DashboardHarness;

  beforeAll(async () => {
    harness = await createDashboardHarness(engine, { items: 6 });
    use(harness);
    const indexer = startKnowledgeIndexer(harness.knowledge, { poll: false });
    await indexer.runPass();
    await indexer.stop();
  });

  afterAll(async () => {
    await harness?.close();
  });

  it("adds knowledge-base passages to an item without feedback", async () => {
    const item = await createItem(harness.handle.db, {
      workspaceId: harness.workspaceId,
      actorId: harness.actor.userId,
      fields: {
        title: "Export a dashboard as a PDF file",
        description: "Customers script a headless browser to get a PDF of a dashboard; give them a button.",
        theme: "Export",
        status: "idea",
        links: [],
        externalId: null,
      },
    });
    const member = await createTokenUser(harness.handle, { workspaceId: harness.workspaceId });
    const response = await startOverHttp(harness.workspaceId, member.headers, { itemIds: [item.id] });
    const { runId } = await response.json();
    await harness.waitForRun(runId);
    const proposals = await listProposals(harness.handle.db, { workspaceId: harness.workspaceId, runId });
    const known = new Set(
      (await listDocuments(harness.handle.db, { workspaceId: harness.workspaceId })).map((d) => d.externalId),
    );

    expect(proposals).toHaveLength(4);
    expect(proposals.every((row) => row.evidenceIds.length > 0)).toBe(true);
    expect(proposals.every((row) => row.evidenceIds.every((id) => known.has(id)))).toBe(true);
  });
});

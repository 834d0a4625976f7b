import { afterAll, beforeAll, expect, it, vi } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { listBacklogItems } from "@/db/queries/backlog";
import { listBatches } from "@/db/queries/runs";
import type { PipelineRuntime } from "@/lib/pipeline/runtime";
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

const summaries = await import("@/app/api/v1/workspaces/[workspaceId]/feedback/summaries/route");
const suggestions = await import("@/app/api/v1/workspaces/[workspaceId]/feedback/suggestions/route");
const addRoute = await import("@/app/api/v1/workspaces/[workspaceId]/feedback/suggestions/[runId]/items/route");

const base = "http://127.0.0.1/api/v1/workspaces";
const context = (params: Record<string, string>) => ({ params: Promise.resolve(params) });

function post(url: string, headers: Record<string, string>, body: unknown): Request {
  return new Request(url, {
    method: "POST",
    body: JSON.stringify(body),
    headers: { ...headers, "content-type": "application/json" },
  });
}

describeEachEngine("feedback tasks", (engine) => {
  let harness: DashboardHarness;
  let member: { headers: Record<string, string> };
  let workspaceId: string;

  beforeAll(async () => {
    harness = await createDashboardHarness(engine, { items: 12 });
    current.handle = harness.handle;
    current.runtime = harness.runtime;
    workspaceId = harness.workspaceId;
    member = await createTokenUser(harness.handle, { workspaceId });
  });

  afterAll(async () => {
    await harness?.close();
  });

  it("summarizes every theme with cited snippets", async () => {
    const response = await summaries.POST(
      post(`${base}/${workspaceId}/feedback/summaries`, member.headers, {}),
      context({ workspaceId }),
    );
    const { runId } = await response.json();
    const run = await harness.waitForRun(runId);
    const view = await (
      await summaries.GET(
        new Request(`${base}/${workspaceId}/feedback/summaries`, { headers: member.headers }),
        context({ workspaceId }),
      )
    ).json();
    const exportTheme = view.themes.find((theme: { theme: string }) => theme.theme === "Export");
    const cited = exportTheme.latestSummary.summary.asks.flatMap((ask: { evidence_ids: string[] }) => ask.evidence_ids);

    expect(response.status).toBe(202);
    expect(run.status).toBe("completed");
    expect(view.themes.map((theme: { theme: string }) => theme.theme)).toEqual([
      "Alerts & Subscriptions",
      "Export",
      "Permissions",
      "Security",
      "Sharing",
    ]);
    expect(exportTheme.snippetCount).toBe(10);
    expect(exportTheme.latestSummary.summary.snippet_count).toBe(10);
    expect(cited.length).toBeGreaterThan(0);
    expect(cited.every((id: string) => id in view.snippets)).toBe(true);
  });

  it("keeps other themes' suggestions when one fails", async () => {
    harness.simulator.setFaultRules([{ match: "<theme>\nSharing\n</theme>", fault: "server_error" }]);
    const response = await suggestions.POST(
      post(`${base}/${workspaceId}/feedback/suggestions`, member.headers, {}),
      context({ workspaceId }),
    );
    const { runId } = await response.json();
    const run = await harness.waitForRun(runId);
    harness.simulator.setFaultRules([]);
    const view = await (
      await suggestions.GET(
        new Request(`${base}/${workspaceId}/feedback/suggestions`, { headers: member.headers }),
        context({ workspaceId }),
      )
    ).json();
    const failed = (await listBatches(harness.handle.db, { runId })).filter((batch) => batch.status === "failed");

    expect(run.status).toBe("partial");
    expect(failed.map((batch) => batch.label)).toEqual(["Sharing"]);
    expect(view.run.id).toBe(runId);
    expect(
      view.batches.find((batch: { label: string }) => batch.label === "Export").suggestions.length,
    ).toBeGreaterThan(0);
  });

  it("adds a suggestion once and flags it after", async () => {
    const { run, batches } = await (
      await suggestions.GET(
        new Request(`${base}/${workspaceId}/feedback/suggestions`, { headers: member.headers }),
        context({ workspaceId }),
      )
    ).json();
    const batch = batches.find((entry: { label: string }) => entry.label === "Export");
    const suggestion = batch.suggestions[0];
    const add = () =>
      addRoute.POST(
        post(`${base}/${workspaceId}/feedback/suggestions/${run.id}/items`, member.headers, {
          batchId: batch.id,
          index: 0,
        }),
        context({ workspaceId, runId: run.id }),
      );

    const first = await add();
    const created = (await first.json()).item;
    const second = await add();
    const after = await (
      await suggestions.GET(
        new Request(`${base}/${workspaceId}/feedback/suggestions`, { headers: member.headers }),
        context({ workspaceId }),
      )
    ).json();
    const items = await listBacklogItems(harness.handle.db, { workspaceId });

    expect(first.status).toBe(201);
    expect(created.title).toBe(suggestion.title);
    expect(created.theme).toBe("Export");
    expect(created.links.length).toBeGreaterThan(0);
    expect(second.status).toBe(409);
    expect(items.filter((item) => item.title === suggestion.title)).toHaveLength(1);
    expect(after.batches.find((entry: { id: string }) => entry.id === batch.id).suggestions[0].duplicateOf.itemId).toBe(
      created.id,
    );
  });

  it("rejects an unknown body key naming it", async () => {
    const response = await suggestions.POST(
      post(`${base}/${workspaceId}/feedback/suggestions`, member.headers, { max: -1 }),
      context({ workspaceId }),
    );
    const body = await response.json();

    expect(response.status).toBe(400);
    expect(body.error.message).toContain("max");
  });

  it("rejects an unsupported language", async () => {
    const response = await summaries.POST(
      post(`${base}/${workspaceId}/feedback/summaries`, member.headers, { language: "de" }),
      context({ workspaceId }),
    );
    const body = await response.json();

    expect(response.status).toBe(400);
    expect(body.error.fields.map((field: { path: string }) => field.path)).toEqual(["language"]);
    expect(body.error.message).toContain("expected one of en, fr");
  });

  it("answers 404 for a suggestion that does not exist", async () => {
    const { run, batches } = await (
      await suggestions.GET(
        new Request(`${base}/${workspaceId}/feedback/suggestions`, { headers: member.headers }),
        context({ workspaceId }),
      )
    ).json();
    const response = await addRoute.POST(
      post(`${base}/${workspaceId}/feedback/suggestions/${run.id}/items`, member.headers, {
        batchId: batches[0].id,
        index: 99,
      }),
      context({ workspaceId, runId: run.id }),
    );

    expect(response.status).toBe(404);
  });
});

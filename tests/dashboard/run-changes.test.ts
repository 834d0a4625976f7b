import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { listProposals } from "@/db/queries/backlog-inputs";
import { run } from "@/db/schema";
import { getBacklogRanking } from "@/lib/backlog/view";
import type { PipelineRuntime } from "@/lib/pipeline/runtime";
import { describeEachEngine } from "@/lib/testing/database";
import { createTokenUser } from "../knowledge/actors";
import { createDashboardHarness, type DashboardHarness } from "./harness";

// The routes read the process-wide database and pipeline, so point both at the test's.
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
const changesRoute = await import("@/app/api/v1/workspaces/[workspaceId]/prioritizations/[runId]/changes/route");
const reviewRoute = await import("@/app/api/v1/workspaces/[workspaceId]/proposals/review/route");

const base = "http://127.0.0.1/api/v1/workspaces";
const context = (params: Record<string, string>) => ({ params: Promise.resolve(params) });

interface ChangeBody {
  itemId: string;
  externalId: string | null;
  kind: string;
  rankBefore: number | null;
  rankAfter: number | null;
  inputChanges: { input: string; after: { value: number; rationale: string | null } | null }[];
  passedBy: string[];
  summary: string;
}

describeEachEngine("run changes of two accepted runs", (engine) => {
  let harness: DashboardHarness;
  let headers: Record<string, string>;
  let englishRunId: string;
  let frenchRunId: string;
  /** Ranks by item id before either run started. The demo imports RICE values for a third of the items. */
  let startRanks: Map<string, number>;
  let englishChanges: ChangeBody[];
  let frenchChanges: ChangeBody[];

  async function post(path: string, body: unknown, params: Record<string, string>, handler: typeof collection.POST) {
    const response = await handler(
      new Request(`${base}/${harness.workspaceId}/${path}`, {
        method: "POST",
        body: JSON.stringify(body),
        headers: { ...headers, "content-type": "application/json" },
      }),
      context({ workspaceId: harness.workspaceId, ...params }),
    );
    expect(response.status, await response.clone().text()).toBeLessThan(300);
    return response.json();
  }

  async function getChanges(runId: string): Promise<ChangeBody[]> {
    const response = await changesRoute.GET(
      new Request(`${base}/${harness.workspaceId}/prioritizations/${runId}/changes?mode=since`, { headers }),
      context({ workspaceId: harness.workspaceId, runId }),
    );
    expect(response.status).toBe(200);
    return (await response.json()).changes;
  }

  /** Rationales of a run's proposals by `itemId:input`. */
  async function rationalesOf(runId: string): Promise<Map<string, string | null>> {
    const proposals = await listProposals(harness.handle.db, { workspaceId: harness.workspaceId, runId });
    return new Map(proposals.map((row) => [`${row.itemId}:${row.input}`, row.rationale]));
  }

  beforeAll(async () => {
    harness = await createDashboardHarness(engine, { items: 18 });
    current.handle = harness.handle;
    current.runtime = harness.runtime;
    headers = (await createTokenUser(harness.handle, { workspaceId: harness.workspaceId })).headers;

    const ranking = await getBacklogRanking(harness.handle.db, { workspaceId: harness.workspaceId, framework: "rice" });
    startRanks = new Map(ranking.ranked.map((entry) => [entry.item.id, entry.rank as number]));

    // Both runs start before any proposal is accepted, as when a PM compares two languages: the
    // second proposes the same inputs again. The PM then takes half of the items from each run.
    const start = { framework: "rice", proposeAgain: true };
    englishRunId = (await post("prioritizations", { ...start, language: "en" }, {}, collection.POST)).runId;
    frenchRunId = (await post("prioritizations", { ...start, language: "fr" }, {}, collection.POST)).runId;
    await harness.waitForRun(englishRunId);
    await harness.waitForRun(frenchRunId);

    const pending = (runId: string) =>
      listProposals(harness.handle.db, {
        workspaceId: harness.workspaceId,
        runId,
        status: "proposed",
        withValue: true,
      });
    const itemIds = [...new Set((await pending(englishRunId)).map((row) => row.itemId))].sort();
    const englishItems = new Set(itemIds.filter((_, index) => index % 2 === 0));
    const accept = (proposalIds: string[]) =>
      post("proposals/review", { action: "accept", proposalIds }, {}, reviewRoute.POST);
    await accept((await pending(englishRunId)).filter((row) => englishItems.has(row.itemId)).map((row) => row.id));
    await accept((await pending(frenchRunId)).filter((row) => !englishItems.has(row.itemId)).map((row) => row.id));
    englishChanges = await getChanges(englishRunId);
    frenchChanges = await getChanges(frenchRunId);
  });

  afterAll(async () => {
    await harness?.close();
  });

  it("ranks some items before the runs", () => {
    expect(startRanks.size).toBeGreaterThan(1);
  });

  it("records the starting ICE mode", async () => {
    const [row] = await harness.handle.db.select({ input: run.input }).from(run).where(eq(run.id, englishRunId));
    expect(row?.input).toMatchObject({ framework: "rice", iceMode: "product" });
  });

  it("lists input changes in both runs", () => {
    expect(englishChanges.some((change) => change.inputChanges.length > 0)).toBe(true);
    expect(frenchChanges.some((change) => change.inputChanges.length > 0)).toBe(true);
  });

  it("shows each run's own rationales", async () => {
    for (const [runId, changes] of [
      [englishRunId, englishChanges],
      [frenchRunId, frenchChanges],
    ] as const) {
      const own = await rationalesOf(runId);
      for (const change of changes) {
        for (const inputChange of change.inputChanges) {
          expect(inputChange.after?.rationale, `${runId} ${change.externalId} ${inputChange.input}`).toBe(
            own.get(`${change.itemId}:${inputChange.input}`),
          );
        }
      }
    }
  });

  it("tells the two runs' rationales apart", () => {
    const first = englishChanges.flatMap((change) => change.inputChanges.map((input) => input.after?.rationale));
    const second = frenchChanges.flatMap((change) => change.inputChanges.map((input) => input.after?.rationale));
    expect(first.filter((rationale) => second.includes(rationale))).toEqual([]);
  });

  it("takes rankBefore from the run's start", () => {
    for (const changes of [englishChanges, frenchChanges]) {
      for (const change of changes) {
        expect(change.rankBefore, change.externalId ?? change.itemId).toBe(startRanks.get(change.itemId) ?? null);
      }
      expect(changes.some((change) => change.rankBefore !== null)).toBe(true);
    }
  });

  it("lists items that others passed", () => {
    for (const changes of [englishChanges, frenchChanges]) {
      const passed = changes.filter((change) => change.inputChanges.length === 0 && change.kind === "moved");
      const fallen = passed.find((change) => (change.rankAfter ?? 0) > (change.rankBefore ?? 0));

      expect(fallen).toBeDefined();
      expect(fallen?.passedBy.length).toBeGreaterThan(0);
      expect(fallen?.summary).toContain("passed by");
    }
  });

  it("names only items with changed inputs as passers", () => {
    const changedRefs = new Set(
      englishChanges.filter((change) => change.inputChanges.length > 0).map((change) => change.externalId),
    );
    const passers = englishChanges.flatMap((change) => change.passedBy);
    expect(passers.length).toBeGreaterThan(0);
    expect(passers.filter((ref) => !changedRefs.has(ref))).toEqual([]);
  });
});

import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { listProposals } from "@/db/queries/backlog-inputs";
import { getRunById, listBatches } from "@/db/queries/runs";
import { auditLog } from "@/db/schema";
import type { PipelineRuntime } from "@/lib/pipeline/runtime";
import { cancelRun } from "@/lib/pipeline/service";
import { describeEachEngine } from "@/lib/testing/database";
import { createTokenUser } from "../knowledge/actors";
import { createDashboardHarness, type DashboardHarness, waitFor } from "./harness";

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
const reviewRoute = await import("@/app/api/v1/workspaces/[workspaceId]/proposals/review/route");

const base = "http://127.0.0.1/api/v1/workspaces";
const context = (params: Record<string, string>) => ({ params: Promise.resolve(params) });

/** Proposal keys `itemId:input`, one per proposal, so duplicates stay visible. */
const keysOf = (rows: Array<{ itemId: string; input: string }>) => rows.map((row) => `${row.itemId}:${row.input}`);

describeEachEngine("one pending proposal per input", (engine) => {
  let harness: DashboardHarness;
  let headers: Record<string, string>;

  async function post(handler: typeof collection.POST, path: string, body: unknown) {
    return handler(
      new Request(`${base}/${harness.workspaceId}/${path}`, {
        method: "POST",
        body: JSON.stringify(body),
        headers: { ...headers, "content-type": "application/json" },
      }),
      context({ workspaceId: harness.workspaceId }),
    );
  }

  async function startRun(body: Record<string, unknown>): Promise<string> {
    const response = await post(collection.POST, "prioritizations", body);
    expect(response.status, await response.clone().text()).toBe(202);
    return (await response.json()).runId;
  }

  const pendingWithValue = (runId?: string) =>
    listProposals(harness.handle.db, { workspaceId: harness.workspaceId, runId, status: "proposed", withValue: true });

  beforeAll(async () => {
    harness = await createDashboardHarness(engine, { items: 12 });
    current.handle = harness.handle;
    current.runtime = harness.runtime;
    headers = (await createTokenUser(harness.handle, { workspaceId: harness.workspaceId })).headers;
  });

  afterAll(async () => {
    await harness?.close();
  });

  describe("while a run is proposing", () => {
    let hangingRunId: string;

    beforeAll(async () => {
      // The French run's model calls hang, so its batches stay open while the others start.
      harness.simulator.setFaultRules([{ match: "français", fault: "hang" }]);
      hangingRunId = await startRun({ framework: "ice", language: "fr" });
      await waitFor(async () =>
        (await listBatches(harness.handle.db, { runId: hangingRunId })).length > 0 ? true : undefined,
      );
    });

    afterAll(async () => {
      const run = await getRunById(harness.handle.db, { runId: hangingRunId });
      if (run && (run.status === "queued" || run.status === "running")) await cancelRun(harness.runtime, run);
      await harness.waitForRun(hangingRunId);
      harness.simulator.setFaultRules([]);
    });

    it("rejects the same inputs with a count", async () => {
      const response = await post(collection.POST, "prioritizations", { framework: "ice", language: "en" });
      const body = await response.json();

      expect(response.status).toBe(409);
      expect(body.error.code).toBe("nothing_to_propose");
      expect(body.error.details.params.inProgress).toBeGreaterThan(0);
      expect(body.error.details.params.awaitingReview).toBe(0);
      expect(body.error.details.field).toBeUndefined();
      expect(body.error.message).toContain("run in progress");
    });

    it("proposes them again when asked to", async () => {
      const runId = await startRun({ framework: "ice", language: "en", proposeAgain: true });
      const finished = await harness.waitForRun(runId);

      expect(finished.status).toBe("completed");
      expect((await pendingWithValue(runId)).length).toBeGreaterThan(0);

      // The workspace ranks by RICE; accepting an ICE run reports the moves in the ICE ranking.
      const response = await post(reviewRoute.POST, "proposals/review", { action: "accept", runId });
      const body = await response.json();
      expect(response.status).toBe(200);
      expect(body.changes.length).toBeGreaterThan(0);
    });
  });

  describe("after a run", () => {
    let firstRunId: string;

    beforeAll(async () => {
      firstRunId = await startRun({ framework: "rice", language: "en" });
      await harness.waitForRun(firstRunId);
    });

    it("leaves out the inputs whose proposals await review", async () => {
      const awaiting = new Set(keysOf(await pendingWithValue(firstRunId)));
      expect(awaiting.size).toBeGreaterThan(0);

      // Inputs the model found no evidence for are proposed again, so a second run may still start.
      const response = await post(collection.POST, "prioritizations", { framework: "rice", language: "en" });
      if (response.status === 409) {
        const body = await response.json();
        expect(body.error.details.params.awaitingReview).toBe(awaiting.size);
        return;
      }
      expect(response.status).toBe(202);
      const secondRunId = (await response.json()).runId;
      await harness.waitForRun(secondRunId);
      const second = keysOf(
        await listProposals(harness.handle.db, { workspaceId: harness.workspaceId, runId: secondRunId }),
      );
      expect(second.filter((key) => awaiting.has(key))).toEqual([]);
    });

    it("settles duplicates on accept", async () => {
      const againRunId = await startRun({ framework: "rice", language: "fr", proposeAgain: true });
      await harness.waitForRun(againRunId);
      const first = await pendingWithValue(firstRunId);
      const again = new Map((await pendingWithValue(againRunId)).map((row) => [`${row.itemId}:${row.input}`, row]));
      const chosen = first.find((row) => again.has(`${row.itemId}:${row.input}`));
      expect(chosen).toBeDefined();
      const duplicate = again.get(`${chosen?.itemId}:${chosen?.input}`);

      const response = await post(reviewRoute.POST, "proposals/review", {
        action: "accept",
        proposalIds: [chosen?.id],
      });
      expect(response.status, await response.clone().text()).toBe(200);

      const [settled] = await listProposals(harness.handle.db, {
        workspaceId: harness.workspaceId,
        proposalIds: [duplicate?.id ?? ""],
      });
      expect(settled?.status).toBe("rejected");
      const audit = await harness.handle.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.entityId, duplicate?.id ?? ""), eq(auditLog.action, "proposal.reject")));
      expect(audit).toHaveLength(1);
      expect(audit[0]?.after).toMatchObject({ supersededBy: chosen?.id });
      // The accepted input now has no pending proposal left.
      const left = keysOf(await pendingWithValue());
      expect(left).not.toContain(`${chosen?.itemId}:${chosen?.input}`);
    });
  });
});

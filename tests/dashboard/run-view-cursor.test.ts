import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { getLastRunEventId, listRunEvents } from "@/db/queries/runs";
import {
  getPrioritizationRunView,
  type PrioritizationRunView,
  startPrioritization,
} from "@/lib/prioritization/ai-runs";
import { describeEachEngine } from "@/lib/testing/database";
import { createDashboardHarness, type DashboardHarness } from "./harness";

// A hook that runs once right after the next read of a run row, so a test can finish the run
// between that read and the reads that follow it.
const hooks = vi.hoisted(() => ({ afterRunRead: undefined as (() => Promise<void>) | undefined }));
vi.mock("@/db/queries/runs", async (importOriginal) => {
  const actual = await importOriginal<typeof import("@/db/queries/runs")>();
  return {
    ...actual,
    getRunById: async (...args: Parameters<typeof actual.getRunById>) => {
      const row = await actual.getRunById(...args);
      const hook = hooks.afterRunRead;
      hooks.afterRunRead = undefined;
      if (hook) await hook();
      return row;
    },
  };
});

describeEachEngine("prioritization run view read during a run", (engine) => {
  let harness: DashboardHarness;
  let runId: string;
  let view: PrioritizationRunView;
  let finalView: PrioritizationRunView;

  beforeAll(async () => {
    let releaseBatch!: () => void;
    const batchGate = new Promise<void>((resolve) => {
      releaseBatch = resolve;
    });
    let markRendering!: () => void;
    const rendering = new Promise<void>((resolve) => {
      markRendering = resolve;
    });
    // The batch waits before its prompt is rendered, so the run stays running until released.
    harness = await createDashboardHarness(engine, {
      wrapRenderer: (render) => async (params) => {
        markRendering();
        await batchGate;
        return render(params);
      },
    });

    const run = await startPrioritization(harness.runtime, {
      actor: harness.actor,
      workspaceId: harness.workspaceId,
      body: { framework: "rice", themes: ["Export"] },
    });
    runId = run.id;
    await rendering;

    // The view reads the run row while the run is running. The batch and the run then finish and
    // commit before the view reads anything else.
    hooks.afterRunRead = async () => {
      releaseBatch();
      await harness.waitForRun(runId);
    };
    view = await getPrioritizationRunView(harness.handle.db, { workspaceId: harness.workspaceId, runId });
    finalView = await getPrioritizationRunView(harness.handle.db, { workspaceId: harness.workspaceId, runId });
  });

  afterAll(async () => {
    hooks.afterRunRead = undefined;
    await harness?.close();
  });

  it("reads the run row before it finished", () => {
    expect(view.run.status).toBe("running");
  });

  it("leaves the finishing events after its cursor", async () => {
    const later = await listRunEvents(harness.handle.db, {
      runId,
      afterId: view.activity.lastEventId,
      limit: 100,
    });
    const types = later.map((event) => event.type);
    expect(types).toContain("batch_result");
    expect(types).toContain("run_finished");
  });

  it("shows the proposals once the run finished", async () => {
    expect(finalView.run.status).toBe("completed");
    expect(finalView.batches).toHaveLength(1);
    expect(finalView.batches[0]?.proposals.length).toBeGreaterThan(0);
  });

  it("covers every event once the run finished", async () => {
    const lastEventId = await getLastRunEventId(harness.handle.db, { runId });
    expect(finalView.activity.lastEventId).toBe(lastEventId);
  });
});

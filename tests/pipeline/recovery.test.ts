import { afterEach, expect, it } from "vitest";
import { claimRun, finishBatch, insertBatches, listRunEvents, startBatch } from "@/db/queries/runs";
import type { Run } from "@/db/schema";
import { describeEachEngine } from "@/lib/testing/database";
import { createPipelineHarness, loadRunRecords, type PipelineHarness, type TestInput } from "./harness";

const input: TestInput = {
  groups: ["done", "cut", "todo"].map((label) => ({
    label: `recover-${label}`,
    items: [{ id: `${label}-1`, title: `Item ${label}`, missing: ["impact"] }],
  })),
};

/**
 * Leave a run as a worker that died mid-run would: claimed with a short lease, the first batch
 * succeeded, the second still `running`, the third never started.
 */
async function simulateDeadWorker(harness: PipelineHarness): Promise<Run> {
  const run = await harness.start(input);
  const db = harness.handle.db;
  await claimRun(db, { runId: run.id, workerId: "dead-worker", leaseSeconds: 1 });
  const [done, cut] = await insertBatches(db, {
    runId: run.id,
    batches: input.groups.map((group) => ({ label: group.label, input: group })),
  });
  await startBatch(db, { batchId: done?.id as string });
  await finishBatch(db, {
    batchId: done?.id as string,
    status: "succeeded",
    outcome: "ok",
    result: { kept: true },
    error: null,
  });
  await startBatch(db, { batchId: cut?.id as string });
  return run;
}

describeEachEngine("pipeline recovery", (engine) => {
  let harness: PipelineHarness | undefined;

  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it("resumes a run whose worker died and keeps finished batches", async () => {
    harness = await createPipelineHarness(engine, { workers: false, settings: { leaseSeconds: 2 } });
    const stranded = await simulateDeadWorker(harness);

    await harness.runtime.startWorkers();
    const run = await harness.waitForRun(stranded.id);
    const { batches, calls } = await loadRunRecords(harness.handle, run.id);
    const events = await listRunEvents(harness.handle.db, { runId: run.id, afterId: 0, limit: 200 });

    expect(run.status).toBe("completed");
    expect(batches[0]?.result).toEqual({ kept: true });
    expect(batches.map((batch) => batch.executions)).toEqual([1, 2, 1]);
    expect(calls.filter((call) => call.batchId === batches[0]?.id)).toHaveLength(0);
    expect(events.map((event) => event.type)).toContain("batch_requeued");
  });

  it("marks a batch interrupted past its execution limit", async () => {
    harness = await createPipelineHarness(engine, {
      workers: false,
      settings: { leaseSeconds: 2, maxBatchExecutions: 1 },
    });
    const stranded = await simulateDeadWorker(harness);

    await harness.runtime.startWorkers();
    const run = await harness.waitForRun(stranded.id);
    const { batches } = await loadRunRecords(harness.handle, run.id);

    expect(run.status).toBe("partial");
    expect(batches.map((batch) => batch.status)).toEqual(["succeeded", "interrupted", "succeeded"]);
    expect(batches[1]?.error?.code).toBe("interrupted");
    expect(run.batchesFailed).toBe(1);
  });
});

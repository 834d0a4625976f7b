import { afterEach, expect, it } from "vitest";
import { finishBatch, getRunById, insertBatches, moveBatches, startBatch } from "@/db/queries/runs";
import type { RunBatch } from "@/db/schema";
import { describeEachEngine } from "@/lib/testing/database";
import { createPipelineHarness, loadRunRecords, type PipelineHarness, type TestInput } from "./harness";

const BATCHES = 30;

const input: TestInput = {
  groups: Array.from({ length: BATCHES }, (_, index) => ({
    label: `counters-${index}`,
    items: [{ id: `counters-${index}`, title: `Item ${index}`, missing: ["impact"] }],
  })),
};

/** Count batches by the run counter they belong to, from the batches themselves. */
function recount(batches: RunBatch[]) {
  const failed = new Set<RunBatch["status"]>(["failed", "interrupted"]);
  return {
    succeeded: batches.filter((batch) => batch.status === "succeeded").length,
    failed: batches.filter((batch) => failed.has(batch.status)).length,
  };
}

describeEachEngine("run batch counters", (engine) => {
  let harness: PipelineHarness | undefined;

  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it("agree after a concurrent cancel", async () => {
    harness = await createPipelineHarness(engine, { workers: false });
    const db = harness.handle.db;
    const run = await harness.start(input);
    const batches = await insertBatches(db, {
      runId: run.id,
      batches: input.groups.map((group) => ({ label: group.label, input: group })),
    });
    // Two thirds run and the rest stay pending, so the cancel below moves batches of both statuses.
    const started = batches.slice(0, (BATCHES * 2) / 3);
    for (const batch of started) await startBatch(db, { batchId: batch.id });

    // Each finish and the cancel is its own transaction. On Postgres they run on separate
    // connections at the same time, so some finishes find their batch already cancelled.
    const finishes = started.map((batch, index) =>
      finishBatch(db, {
        batchId: batch.id,
        status: index % 3 === 0 ? "failed" : "succeeded",
        outcome: index % 3 === 0 ? "failed" : "ok",
        result: index % 3 === 0 ? null : { index },
        error: index % 3 === 0 ? { code: "model_error", message: "failed in the test", retryable: true } : null,
      }),
    );
    const cancel = moveBatches(db, { runId: run.id, from: ["pending", "running"], to: "cancelled" });
    await Promise.all([...finishes, cancel]);

    const { batches: after } = await loadRunRecords(harness.handle, run.id);
    const counted = recount(after);
    const stored = await getRunById(db, { runId: run.id });
    expect(after.filter((batch) => batch.status === "pending" || batch.status === "running")).toEqual([]);
    const cancelled = after.filter((batch) => batch.status === "cancelled").length;
    expect(counted.succeeded + counted.failed + cancelled).toBe(BATCHES);
    expect({ succeeded: stored?.batchesSucceeded, failed: stored?.batchesFailed }).toEqual(counted);
  });

  it("agree after a retry requeues", async () => {
    harness = await createPipelineHarness(engine, { workers: false });
    const db = harness.handle.db;
    const run = await harness.start(input);
    const batches = await insertBatches(db, {
      runId: run.id,
      batches: input.groups.map((group) => ({ label: group.label, input: group })),
    });
    for (const batch of batches) await startBatch(db, { batchId: batch.id });
    await Promise.all(
      batches.map((batch, index) =>
        finishBatch(db, {
          batchId: batch.id,
          status: index % 2 === 0 ? "failed" : "succeeded",
          outcome: index % 2 === 0 ? "failed" : "ok",
          result: null,
          error: index % 2 === 0 ? { code: "model_error", message: "failed in the test", retryable: true } : null,
        }),
      ),
    );
    const requeued = await moveBatches(db, { runId: run.id, from: ["failed"], to: "pending" });

    const stored = await getRunById(db, { runId: run.id });
    expect(requeued).toHaveLength(BATCHES / 2);
    expect({ succeeded: stored?.batchesSucceeded, failed: stored?.batchesFailed }).toEqual({
      succeeded: BATCHES / 2,
      failed: 0,
    });
  });
});

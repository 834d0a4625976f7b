import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { getRunById } from "@/db/queries/runs";
import { countRetryBatches } from "@/lib/pipeline/retry-scope";
import { retryFailedBatches } from "@/lib/pipeline/service";
import { loadRunActivity } from "@/lib/prioritization/ai-run-view";
import { describeEachEngine } from "@/lib/testing/database";
import { createPipelineHarness, loadRunRecords, type PipelineHarness, type TestInput } from "./harness";

function groups(prefix: string, names: string[]): TestInput {
  return {
    groups: names.map((name) => ({
      label: `${prefix}-${name}`,
      items: [{ id: `${name}-1`, title: `Item ${name}`, missing: ["impact"] }],
    })),
  };
}

describeEachEngine("retry of content-filtered batches", (engine) => {
  let harness: PipelineHarness;

  beforeAll(async () => {
    harness = await createPipelineHarness(engine);
  });

  beforeEach(() => {
    harness.simulator.setFaultRules([]);
  });

  afterAll(async () => {
    await harness?.close();
  });

  it("counts the batches a retry re-runs", async () => {
    harness.simulator.setFaultRules([
      { match: "Batch count-server.", fault: "server_error" },
      { match: "Batch count-prompt.", fault: "content_filter" },
      { match: "Batch count-answer.", fault: "finish_content_filter" },
    ]);
    const started = await harness.start(groups("count", ["ok", "server", "prompt", "answer"]));
    const partial = await harness.waitForRun(started.id);
    const before = await loadRunRecords(harness.handle, started.id);
    const activity = await loadRunActivity(harness.handle.db, partial);
    harness.simulator.setFaultRules([]);

    const retryCounts = countRetryBatches(activity.batches);
    const { batchIds } = await retryFailedBatches(harness.runtime, partial);
    const run = await harness.waitForRun(started.id);
    const after = await loadRunRecords(harness.handle, started.id);

    expect(partial.status).toBe("partial");
    expect(before.batches.map((batch) => batch.status)).toEqual(["succeeded", "failed", "failed", "failed"]);
    expect(retryCounts).toEqual({ retried: 1, contentFiltered: 2 });
    expect(countRetryBatches(before.batches)).toEqual(retryCounts);
    expect(batchIds).toHaveLength(retryCounts.retried);
    expect(batchIds).toEqual([before.batches[1]?.id]);
    expect(run.status).toBe("partial");
    expect(after.batches.map((batch) => batch.status)).toEqual(["succeeded", "succeeded", "failed", "failed"]);
    expect(after.batches.map((batch) => batch.executions)).toEqual([1, 2, 1, 1]);
    expect(after.batches[2]?.outcome).toBe("content_filtered");
    expect(after.batches[3]?.outcome).toBe("content_filtered");
  });

  it("rejects a retry of only filtered batches", async () => {
    harness.simulator.setFaultRules([{ match: "Batch left-prompt.", fault: "content_filter" }]);
    const started = await harness.start(groups("left", ["ok", "prompt"]));
    const partial = await harness.waitForRun(started.id);
    const activity = await loadRunActivity(harness.handle.db, partial);

    expect(countRetryBatches(activity.batches)).toEqual({ retried: 0, contentFiltered: 1 });
    await expect(retryFailedBatches(harness.runtime, partial)).rejects.toMatchObject({
      status: 409,
      details: { reason: "retry_only_content_filtered", params: { count: 1 } },
    });
    const unchanged = await getRunById(harness.handle.db, { runId: started.id });
    expect(unchanged?.status).toBe("partial");
    expect(unchanged?.batchesFailed).toBe(1);
  });
});

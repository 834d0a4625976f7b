import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { getRunById, listRunEvents } from "@/db/queries/runs";
import type { Run } from "@/db/schema";
import type { RunSummary } from "@/lib/pipeline/events";
import { executeRun, finishRun } from "@/lib/pipeline/execute-run";
import { cancelRun, retryFailedBatches } from "@/lib/pipeline/service";
import { applyRunEvent, createRunActivity, summarizeProgress } from "@/lib/prioritization/ai-run-events";
import { chooseRunToOpen, listRunsOfKind } from "@/lib/prioritization/ai-run-view";
import { describeEachEngine } from "@/lib/testing/database";
import {
  createPipelineHarness,
  loadRunRecords,
  oneGroup,
  type PipelineHarness,
  TEST_TASK_KIND,
  type TestInput,
  waitFor,
} from "./harness";

function threeGroups(prefix: string): TestInput {
  return {
    groups: ["one", "two", "three"].map((name) => ({
      label: `${prefix}-${name}`,
      items: [{ id: `${name}-1`, title: `Item ${name}`, missing: ["impact"] }],
    })),
  };
}

describeEachEngine("pipeline run control", (engine) => {
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

  it("aborts in-flight calls and skips pending batches on cancel", async () => {
    harness.simulator.setFaultRules([{ match: "Batch cancel-", fault: "hang" }]);
    const started = await harness.start(threeGroups("cancel"), { concurrency: 1 });
    await waitFor(async () => harness.simulator.requestLog.find((entry) => entry.faults.includes("hang")));

    await cancelRun(harness.runtime, started);
    const run = await harness.waitForRun(started.id);
    const { batches } = await loadRunRecords(harness.handle, run.id);
    const hung = harness.simulator.requestLog.filter((entry) => entry.faults.includes("hang"));
    await waitFor(async () => (hung[0]?.outcome ? hung[0] : undefined));

    expect(run.status).toBe("cancelled");
    expect(batches.map((batch) => batch.status)).toEqual(["cancelled", "cancelled", "cancelled"]);
    expect(hung).toHaveLength(1);
    expect(hung[0]?.outcome).toBe("client_closed");
  });

  it("counts batches while a cancelled run executes", async () => {
    const input = {
      groups: ["one", "two", "three", "four"].map((name) => ({
        label: `counters-${name}`,
        items: [{ id: `${name}-1`, title: `Item ${name}`, missing: ["impact"] }],
      })),
    };
    harness.simulator.clearRequestLog();
    harness.simulator.setFaultRules([{ match: "Batch counters-three.", fault: "hang" }]);
    const started = await harness.start(input, { concurrency: 1 });
    await waitFor(async () => harness.simulator.requestLog.find((entry) => entry.faults.includes("hang")));
    const running = await getRunById(harness.handle.db, { runId: started.id });

    await cancelRun(harness.runtime, started);
    const run = await harness.waitForRun(started.id);
    const { batches } = await loadRunRecords(harness.handle, run.id);
    const events = await listRunEvents(harness.handle.db, { runId: run.id, afterId: 0, limit: 200 });
    const finishedEvent = events.find((event) => event.type === "run_finished");
    const summary = (finishedEvent?.data as { summary?: RunSummary } | undefined)?.summary;

    expect(running?.status).toBe("running");
    expect(running?.batchesSucceeded).toBe(2);
    expect(running?.batchesFailed).toBe(0);
    expect(batches.map((batch) => batch.status)).toEqual(["succeeded", "succeeded", "cancelled", "cancelled"]);
    expect(run.batchesSucceeded).toBe(2);
    expect(run.batchesFailed).toBe(0);
    expect(summary?.batchesSucceeded).toBe(2);
    expect(summary?.batchesFailed).toBe(0);
  });

  it("streams the cancel of pending batches", async () => {
    harness.simulator.clearRequestLog();
    harness.simulator.setFaultRules([{ match: "Batch live-cancel-", fault: "hang" }]);
    const started = await harness.start(threeGroups("live-cancel"), { concurrency: 1 });
    await waitFor(async () => harness.simulator.requestLog.find((entry) => entry.faults.includes("hang")));

    await cancelRun(harness.runtime, started);
    const run = await harness.waitForRun(started.id);
    const { batches } = await loadRunRecords(harness.handle, run.id);
    const events = await listRunEvents(harness.handle.db, { runId: run.id, afterId: 0, limit: 200 });
    const messages = events.map((event) => ({
      id: event.id,
      type: event.type,
      data: event.data as Record<string, unknown>,
    }));
    const live = messages.reduce(
      applyRunEvent,
      createRunActivity({ run: { id: run.id, status: "queued" }, batches: [] }),
    );
    const cancelledIds = messages
      .filter((message) => message.type === "batch_failed" && message.data.status === "cancelled")
      .map((message) => message.data.batchId);

    expect(cancelledIds).toEqual(batches.map((batch) => batch.id));
    expect(live.status).toBe("cancelled");
    expect(live.batches.map((batch) => batch.status)).toEqual(batches.map((batch) => batch.status));
    expect(summarizeProgress(live).failed).toBe(0);
    expect(summarizeProgress(live).cancelled).toBe(3);
    expect(run.batchesFailed).toBe(0);
  });

  it("recounts batches queued by a retry", async () => {
    harness.simulator.setFaultRules([{ match: "Batch recount-two.", fault: "server_error" }]);
    const started = await harness.start(threeGroups("recount"));
    const partial = await harness.waitForRun(started.id);
    harness.simulator.setFaultRules([]);

    await retryFailedBatches(harness.runtime, partial);
    const queued = await getRunById(harness.handle.db, { runId: started.id });
    const run = await harness.waitForRun(started.id);

    expect(partial.batchesSucceeded).toBe(2);
    expect(partial.batchesFailed).toBe(1);
    expect(queued?.batchesFailed).toBe(0);
    expect(run.batchesSucceeded).toBe(3);
    expect(run.batchesFailed).toBe(0);
  });

  it("fails a batch at its deadline", async () => {
    harness.simulator.setFaultRules([{ match: "Batch deadline-", fault: "hang" }]);

    const started = await harness.start(oneGroup("deadline-a"), { batchDeadlineSeconds: 1 });
    const run = await harness.waitForRun(started.id);
    const { batches } = await loadRunRecords(harness.handle, run.id);

    expect(run.status).toBe("failed");
    expect(batches[0]?.status).toBe("failed");
    expect(batches[0]?.error?.code).toBe("deadline_exceeded");
  });

  it("retries only the failed batches of a partial run", async () => {
    harness.simulator.setFaultRules([{ match: "Batch retry-two.", fault: "server_error" }]);
    const started = await harness.start(threeGroups("retry"));
    const partial = await harness.waitForRun(started.id);
    const before = await loadRunRecords(harness.handle, started.id);
    harness.simulator.setFaultRules([]);

    const { batchIds } = await retryFailedBatches(harness.runtime, partial);
    const run = await harness.waitForRun(started.id);
    const after = await loadRunRecords(harness.handle, started.id);

    expect(partial.status).toBe("partial");
    expect(batchIds).toEqual([before.batches[1]?.id]);
    expect(run.status).toBe("completed");
    expect(after.batches.map((batch) => batch.executions)).toEqual([1, 2, 1]);
    expect(after.batches[0]?.result).toEqual(before.batches[0]?.result);
    expect(after.calls.filter((call) => call.batchId === before.batches[0]?.id)).toHaveLength(1);
  });

  it("rejects a retry of a completed run", async () => {
    const started = await harness.start(oneGroup("retry-done"));
    const run = await harness.waitForRun(started.id);

    await expect(retryFailedBatches(harness.runtime, run)).rejects.toMatchObject({ status: 409 });
  });

  it("rejects a cancel of a finished run", async () => {
    const started = await harness.start(oneGroup("cancel-done"));
    const run = await harness.waitForRun(started.id);

    await expect(cancelRun(harness.runtime, run)).rejects.toMatchObject({ status: 409 });
  });

  it("repairs single-quoted JSON in one request", async () => {
    harness.simulator.setFaultRules([{ match: "Batch quotes-a.", fault: "malformed_single_quotes", times: 1 }]);
    const started = await harness.start(oneGroup("quotes-a"));
    await harness.waitForRun(started.id);
    const { calls } = await loadRunRecords(harness.handle, started.id);
    const events = await listRunEvents(harness.handle.db, { runId: started.id, afterId: 0, limit: 100 });

    expect(calls).toHaveLength(1);
    expect(calls[0]?.outcome).toBe("repaired");
    expect(calls[0]?.repairs).toEqual(["single_quotes"]);
    expect(events.map((event) => event.type)).toContain("repaired");
  });
});

// Without workers, a started run stays queued until the test executes it with executeRun.
describeEachEngine("pipeline runs cancelled while queued", (engine) => {
  let harness: PipelineHarness;

  beforeAll(async () => {
    harness = await createPipelineHarness(engine, { workers: false });
  });

  afterAll(async () => {
    await harness?.close();
  });

  async function cancelWhileQueued(input: TestInput): Promise<Run> {
    return cancelRun(harness.runtime, await harness.start(input));
  }

  async function listTestRuns() {
    return listRunsOfKind(harness.handle.db, { workspaceId: harness.workspaceId, kind: TEST_TASK_KIND, limit: 10 });
  }

  it("restarts a run cancelled while queued", async () => {
    const cancelled = await cancelWhileQueued(threeGroups("queued"));

    const retried = await retryFailedBatches(harness.runtime, cancelled);
    await executeRun(harness.runtime.deps, cancelled.id);
    const run = await getRunById(harness.handle.db, { runId: cancelled.id });
    const { batches } = await loadRunRecords(harness.handle, cancelled.id);
    const events = await listRunEvents(harness.handle.db, { runId: cancelled.id, afterId: 0, limit: 100 });

    expect(cancelled.status).toBe("cancelled");
    expect(retried.run.status).toBe("queued");
    expect(retried.batchIds).toEqual([]);
    expect(run?.status).toBe("completed");
    expect(batches.map((batch) => batch.status)).toEqual(["succeeded", "succeeded", "succeeded"]);
    expect(events.map((event) => event.type)).toContain("retry_requested");
  });

  it("rejects a retry of a run failed before planning", async () => {
    const started = await harness.start(oneGroup("unplanned"));
    const error = { code: "planning_failed", message: "no items", retryable: false };
    const failed = await finishRun(harness.handle.db, started.id, "failed", error, { unclaimedOnly: true });

    await expect(retryFailedBatches(harness.runtime, failed as Run)).rejects.toMatchObject({ status: 409 });
    expect((await getRunById(harness.handle.db, { runId: started.id }))?.status).toBe("failed");
  });

  it("opens the newest run that did work", async () => {
    const done = await harness.start(oneGroup("open-done"));
    await executeRun(harness.runtime.deps, done.id);
    const cancelled = await cancelWhileQueued(oneGroup("open-cancelled"));

    const runs = await listTestRuns();

    expect(runs[0]?.id).toBe(cancelled.id);
    expect(chooseRunToOpen(runs)?.id).toBe(done.id);
    expect(chooseRunToOpen(runs.slice(0, 1))?.id).toBe(cancelled.id);
  });

  it("opens a queued run first", async () => {
    await cancelWhileQueued(oneGroup("open-cancelled-again"));
    const queued = await harness.start(oneGroup("open-queued"));

    expect(chooseRunToOpen(await listTestRuns())?.id).toBe(queued.id);
  });
});

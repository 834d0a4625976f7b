import { afterAll, beforeAll, expect, it } from "vitest";
import { listRunEvents } from "@/db/queries/runs";
import { describeEachEngine } from "@/lib/testing/database";
import { createPipelineHarness, loadRunRecords, type PipelineHarness } from "./harness";

describeEachEngine("pipeline run lifecycle", (engine) => {
  let harness: PipelineHarness;

  beforeAll(async () => {
    harness = await createPipelineHarness(engine);
  });

  afterAll(async () => {
    await harness?.close();
  });

  it("completes a run of three batches", async () => {
    const input = {
      groups: ["alpha", "beta", "gamma"].map((label) => ({
        label,
        items: [{ id: `${label}-1`, title: `Item ${label}`, missing: ["impact", "effort"] }],
      })),
    };

    const started = await harness.start(input);
    const run = await harness.waitForRun(started.id);
    const { batches, calls } = await loadRunRecords(harness.handle, run.id);

    expect(started.status).toBe("queued");
    expect(run.status).toBe("completed");
    expect(batches.map((batch) => batch.status)).toEqual(["succeeded", "succeeded", "succeeded"]);
    expect(batches.map((batch) => batch.label)).toEqual(["alpha", "beta", "gamma"]);
    expect(calls).toHaveLength(3);
    expect(run.callCount).toBe(3);
    expect(run.batchesSucceeded).toBe(3);
    expect(run.inputTokens).toBeGreaterThan(0);
  });

  it("records each call with its prompt version, messages and timings", async () => {
    const started = await harness.start({
      groups: [{ label: "solo", items: [{ id: "S1", title: "Solo item", missing: ["reach"] }] }],
    });
    await harness.waitForRun(started.id);
    const { calls } = await loadRunRecords(harness.handle, started.id);
    const [call] = calls;

    expect(call?.promptKey).toBe("pipeline_test");
    expect(call?.language).toBe("en");
    expect(call?.promptVersion.source).toBe("files");
    expect(call?.messages.map((message) => message.role)).toEqual(["system", "user"]);
    expect(call?.messages[1]?.content).toContain('"id":"S1"');
    expect(call?.parameters.temperature).toBe(0.4);
    expect(call?.outcome).toBe("ok");
    expect(call?.finishReason).toBe("stop");
    expect(call?.latencyMs).toBeGreaterThanOrEqual(0);
    expect(call?.outputTokens).toBeGreaterThan(0);
    expect(call?.attempt).toBe(1);
  });

  it("stores progress events in order", async () => {
    const started = await harness.start({
      groups: [{ label: "events", items: [{ id: "E1", title: "Evented", missing: ["impact"] }] }],
    });
    await harness.waitForRun(started.id);
    const events = await listRunEvents(harness.handle.db, { runId: started.id, afterId: 0, limit: 100 });

    expect(events.map((event) => event.type)).toEqual([
      "run_started",
      "batches_planned",
      "batch_started",
      "attempt",
      "validated",
      "batch_result",
      "run_finished",
    ]);
  });

  it("caps long texts and records the cap", async () => {
    const capped = await createPipelineHarness(engine, { settings: { textCapChars: 1000 } });
    try {
      const title = "A very long title. ".repeat(100);
      const started = await capped.start({
        groups: [{ label: "long", items: [{ id: "L1", title, missing: ["reach"] }] }],
      });
      await capped.waitForRun(started.id);
      const { calls } = await loadRunRecords(capped.handle, started.id);
      const call = calls[0];

      expect(call?.textCapChars).toBe(1000);
      expect(call?.messages[1]?.content).toHaveLength(1000);
      expect(call?.capped["messages[1]"]).toBeGreaterThan(1900);
      expect(call?.capped).not.toHaveProperty("rawText");
    } finally {
      await capped.close();
    }
  });
});

import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { z } from "zod";
import { listRunEvents } from "@/db/queries/runs";
import { toStrictJsonSchema } from "@/lib/ai";
import { registerTasks } from "@/lib/pipeline/task";
import { describeEachEngine } from "@/lib/testing/database";
import {
  createPipelineHarness,
  loadRunRecords,
  oneGroup,
  type PipelineHarness,
  type TestInput,
  testTask,
} from "./harness";

/**
 * How the pipeline handles broken model output and provider errors, each produced by the
 * simulator over HTTP (fault rules that match the batch label in the prompt).
 */

describeEachEngine("pipeline failure cases", (engine) => {
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

  async function runOneBatch(label: string, fault: string, options: { times?: number; kind?: string } = {}) {
    harness.simulator.setFaultRules([{ match: `Batch ${label}.`, fault, times: options.times ?? 1 }]);
    const started = await harness.start(oneGroup(label), { kind: options.kind });
    const run = await harness.waitForRun(started.id);
    const { batches, calls } = await loadRunRecords(harness.handle, run.id);
    return { run, batch: batches[0], calls };
  }

  it("extracts JSON from a json fence", async () => {
    const { run, batch, calls } = await runOneBatch("case-fence", "malformed_fences");

    expect(run.status).toBe("completed");
    expect(batch?.outcome).toBe("repaired");
    expect(calls).toHaveLength(1);
    expect(calls[0]?.repairs).toEqual(["fence"]);
    expect(calls[0]?.rawText).toMatch(/^```json\n/);
    expect(calls[0]?.repairedText).toMatch(/^\{/);
  });

  it("extracts JSON from prose before a fence", async () => {
    const { batch, calls } = await runOneBatch("case-prose", "malformed_fences,malformed_prose");

    expect(batch?.status).toBe("succeeded");
    expect(calls[0]?.rawText).toMatch(/^Here is the JSON/);
    expect(calls[0]?.repairs).toEqual(["fence", "prose"]);
  });

  it("removes trailing commas", async () => {
    const { batch, calls } = await runOneBatch("case-commas", "malformed_trailing_commas");

    expect(batch?.outcome).toBe("repaired");
    expect(calls[0]?.rawText).toMatch(/,\s*[}\]]/);
    expect(calls[0]?.repairs).toContain("trailing_commas");
  });

  it("removes comments", async () => {
    const { batch, calls } = await runOneBatch("case-comments", "malformed_comments");

    expect(batch?.outcome).toBe("repaired");
    expect(calls[0]?.rawText).toContain("//");
    expect(calls[0]?.repairs).toContain("comments");
  });

  it("removes hash comments between array elements", async () => {
    const { batch, calls } = await runOneBatch("case-hash", "malformed_hash_comments");

    expect(batch?.outcome).toBe("repaired");
    expect(calls[0]?.rawText).toContain("#");
    expect(calls[0]?.repairs).toContain("comments");
  });

  it("never invents keys from an unescaped quote", async () => {
    const { batch, calls } = await runOneBatch("case-quote", "malformed_unescaped_quote");
    const first = calls[0];

    // A result with invented keys would fail validation, so a succeeded batch has none.
    expect(batch?.status).toBe("succeeded");
    expect(["repaired", "invalid"]).toContain(first?.outcome);
    if (first?.outcome === "invalid") expect(calls[1]?.purpose).toBe("correction");
  });

  it("corrects a value outside the allowed set", async () => {
    const { batch, calls } = await runOneBatch("case-scale", "invalid_value");
    const correction = calls[1];

    expect(batch?.outcome).toBe("ok");
    expect(calls.map((call) => call.outcome)).toEqual(["invalid", "ok"]);
    expect(calls[0]?.validationErrors[0]?.message).toMatch(/^expected one of 0\.25, 0\.5, 1, 2, 3 for impact, got /);
    expect(correction?.purpose).toBe("correction");
    expect(correction?.messages.at(-1)?.content).toContain(calls[0]?.validationErrors[0]?.path ?? "?");
    expect(Number(correction?.parameters.temperature)).toBeLessThan(Number(calls[0]?.parameters.temperature));
  });

  it("escapes a raw newline inside a fenced string", async () => {
    const { batch, calls } = await runOneBatch("case-newline", "malformed_raw_newlines,malformed_fences");

    expect(batch?.outcome).toBe("repaired");
    expect(calls[0]?.repairs).toEqual(["fence", "raw_newlines"]);
  });

  it("retries a truncated response with more tokens", async () => {
    const { batch, calls } = await runOneBatch("case-length", "finish_length");

    expect(batch?.status).toBe("succeeded");
    expect(calls.map((call) => call.outcome)).toEqual(["truncated", "ok"]);
    expect(calls.map((call) => call.purpose)).toEqual(["initial", "more_tokens"]);
    expect(calls[0]?.finishReason).toBe("length");
    expect(Number(calls[1]?.parameters.maxTokens)).toBeGreaterThanOrEqual(1024);
  });

  it("fails a response truncated twice without accepting it", async () => {
    const { run, batch, calls } = await runOneBatch("case-length-twice", "finish_length", { times: 5 });

    expect(run.status).toBe("failed");
    expect(batch?.outcome).toBe("truncated");
    expect(batch?.result).toBeNull();
    expect(calls.map((call) => call.outcome)).toEqual(["truncated", "truncated"]);
  });

  it("accepts an optional field under strict structured output", async () => {
    const schema = z.object({ summary: z.string(), note: z.string().optional() });
    const strict = toStrictJsonSchema(schema);
    registerTasks({
      ...testTask,
      kind: "pipeline_optional_field",
      promptKey: "pipeline_custom",
      outputSchemaName: "optional_field_check",
      outputSchema: schema,
    });

    const { run, calls } = await runOneBatch("case-optional", "", { kind: "pipeline_optional_field" });
    const request = harness.simulator.requestLog.find((entry) => entry.schemaName === "optional_field_check");

    expect(strict.required).toEqual(["summary", "note"]);
    expect(run.status).toBe("completed");
    expect(request?.status).toBe(200);
    expect(request?.responseFormat).toBe("json_schema");
    expect(calls[0]?.responseFormat).toBe("json_schema");
  });

  it("rejects JSON mode when the messages never mention JSON", async () => {
    const jsonModeHarness = await createPipelineHarness(engine, { gateway: { structuredOutput: "json_object" } });
    try {
      registerTasks({ ...testTask, kind: "pipeline_no_json", promptKey: "pipeline_no_json" });
      const started = await jsonModeHarness.start(oneGroup("case-plain-mode"), { kind: "pipeline_no_json" });
      const run = await jsonModeHarness.waitForRun(started.id);
      const { batches, calls } = await loadRunRecords(jsonModeHarness.handle, run.id);

      expect(run.status).toBe("failed");
      expect(batches[0]?.error?.code).toBe("json_mode_prompt");
      expect(batches[0]?.error?.message).toContain('never mentions "json"');
      expect(calls).toHaveLength(1);
      expect(calls[0]?.rawText).toBeNull();
      expect(jsonModeHarness.simulator.requestLog.filter((entry) => entry.kind === "chat")).toHaveLength(0);
    } finally {
      await jsonModeHarness.close();
    }
  });

  it("keeps two batches when the middle one is rate limited", async () => {
    const input: TestInput = {
      groups: ["left", "middle", "right"].map((label) => ({
        label: `case-429-${label}`,
        items: [{ id: `${label}-1`, title: `Item ${label}`, missing: ["impact"] }],
      })),
    };
    harness.simulator.setFaultRules([{ match: "Batch case-429-middle.", fault: "rate_limit_retry_after_ms:5" }]);

    const started = await harness.start(input);
    const run = await harness.waitForRun(started.id);
    const { batches, calls } = await loadRunRecords(harness.handle, run.id);
    const middleRequests = harness.simulator.requestLog.filter((entry) => entry.status === 429);

    expect(run.status).toBe("partial");
    expect(batches.map((batch) => batch.status)).toEqual(["succeeded", "failed", "succeeded"]);
    expect(batches[0]?.result).not.toBeNull();
    expect(batches[2]?.result).not.toBeNull();
    expect(batches[1]?.outcome).toBe("rate_limited");
    expect(batches[1]?.error?.code).toBe("rate_limited");
    expect(batches[1]?.error?.retryable).toBe(true);
    expect(middleRequests.length).toBe(harness.gateway.config.maxRetries + 1);
    expect(calls.filter((call) => call.batchId === batches[1]?.id)).toHaveLength(1);
    expect(calls.find((call) => call.batchId === batches[1]?.id)?.transportAttempts).toBe(middleRequests.length);
    expect(calls.find((call) => call.batchId === batches[0]?.id)?.transportAttempts).toBe(1);
    expect(run.batchesSucceeded).toBe(2);
    expect(run.batchesFailed).toBe(1);
  });
  it("records the gateway's retries of a call", async () => {
    const input: TestInput = {
      groups: [{ label: "case-503-twice", items: [{ id: "x-1", title: "Item x", missing: ["impact"] }] }],
    };
    harness.simulator.setFaultRules([{ match: "Batch case-503-twice.", fault: "service_unavailable", times: 2 }]);

    const started = await harness.start(input);
    const run = await harness.waitForRun(started.id);
    const { calls } = await loadRunRecords(harness.handle, run.id);
    const events = await listRunEvents(harness.handle.db, { runId: run.id, afterId: 0, limit: 100 });
    const attempt = events.find((event) => event.type === "attempt")?.data as { transportAttempts?: number };

    expect(run.status).toBe("completed");
    expect(calls).toHaveLength(1);
    expect(calls[0]?.transportAttempts).toBe(3);
    expect(calls[0]?.retryWaitsMs).toHaveLength(2);
    expect(attempt.transportAttempts).toBe(3);
  });

  it("summarizes the error of a run whose batches all failed", async () => {
    const input: TestInput = {
      groups: ["first", "second"].map((label) => ({
        label: `case-all-failed-${label}`,
        items: [{ id: `${label}-1`, title: `Item ${label}`, missing: ["impact"] }],
      })),
    };
    harness.simulator.setFaultRules([{ match: "Batch case-all-failed-", fault: "finish_length", times: 10 }]);

    const started = await harness.start(input);
    const run = await harness.waitForRun(started.id);
    const { batches } = await loadRunRecords(harness.handle, run.id);

    expect(run.status).toBe("failed");
    expect(batches.map((batch) => batch.status)).toEqual(["failed", "failed"]);
    expect(run.error).not.toBeNull();
    expect(run.error?.code).toBe(batches[0]?.error?.code);
    expect(run.error?.message).toBe(`All 2 batches failed: ${batches[0]?.error?.message}`);
  });
});

import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Gateway, ModelError } from "@/lib/ai";
import { type SimulatorHandle, startSimulator } from "@/lib/ai/simulator";
import { createAzureGateway, createCompatibleGateway, modelRequests, userMessage } from "./support";

/**
 * Streaming through `streamChat` (AI SDK `streamText` on the gateway model) against the edge cases
 * real endpoints produce: events and characters split across reads, SSE-looking content, Azure's
 * filter chunks, usage-only final chunks, truncation and mid-stream resets.
 */

let simulator: SimulatorHandle;
let gateway: Gateway;

const rankingPrompt = (marker: string) =>
  userMessage(
    `${marker} Why is A01 above A02?\n<ranking>\n[{"rank":1,"id":"A01","title":"Faster PDF export","score":120,"inputs":{"reach":900}},{"rank":2,"id":"A02","title":"Dark mode","score":40,"inputs":{"reach":200}}]\n</ranking>\n<sources>\n[{"n":1,"title":"Support tickets","text":"PDF export is too slow for large reports"}]\n</sources>`,
  );

beforeAll(async () => {
  simulator = await startSimulator({ seed: 3, ttftMs: 0, tokensPerSecond: 0, latencyMs: 0 });
  gateway = createCompatibleGateway(simulator);
});

afterAll(async () => {
  await simulator.close();
});

beforeEach(() => {
  simulator.setFaultRules([]);
  simulator.clearRequestLog();
});

async function streamToText(params: Parameters<Gateway["streamChat"]>[0], client = gateway) {
  const { result, accounting } = client.streamChat(params);
  let text = "";
  const errors: unknown[] = [];
  for await (const part of result.fullStream) {
    if (part.type === "text-delta") text += part.text;
    if (part.type === "error") errors.push(part.error);
  }
  return { text, errors, accounting: await accounting };
}

describe("streamChat parses difficult streams", () => {
  it("streams a chat answer that cites the given source", async () => {
    const { text, accounting } = await streamToText({ role: "smart", messages: rankingPrompt("plain") });

    expect(text).toContain("A01");
    expect(text).toContain("[1]");
    expect(accounting.finishReason).toBe("stop");
    expect(accounting.transportAttempts).toBe(1);
  });

  it("joins SSE events split across network reads", async () => {
    const plain = await streamToText({ role: "fast", messages: rankingPrompt("split") });
    const split = await streamToText({
      role: "fast",
      messages: rankingPrompt("split"),
      headers: { "x-sim-fault": "split_events" },
    });

    expect(split.text).toBe(plain.text);
    expect(split.errors).toEqual([]);
  });

  it("keeps multibyte characters split across reads", async () => {
    const { text, errors } = await streamToText({
      role: "fast",
      messages: rankingPrompt("multibyte"),
      headers: { "x-sim-fault": "split_multibyte,split_events" },
    });

    expect(text).toContain("Résumé : priorité élevée — ✓ 🚀.");
    expect(text).not.toContain("\uFFFD");
    expect(errors).toEqual([]);
  });

  it("keeps content that contains data: and colon lines", async () => {
    const { text, errors } = await streamToText({
      role: "fast",
      messages: rankingPrompt("data-lines"),
      headers: { "x-sim-fault": "data_in_content" },
    });

    expect(text).toContain('\n\ndata: [DONE]\n: this line looks like an SSE comment\ndata: {"not":"an event"}\n');
    expect(errors).toEqual([]);
  });

  it("skips Azure's empty-choices first chunk and filter-only chunks", async () => {
    const plain = await streamToText({ role: "fast", messages: rankingPrompt("azure-chunks") });
    const filtered = await streamToText({
      role: "fast",
      messages: rankingPrompt("azure-chunks"),
      headers: { "x-sim-fault": "azure_empty_first_chunk,azure_filter_chunks" },
    });

    expect(filtered.text).toBe(plain.text);
    expect(filtered.errors).toEqual([]);
  });

  it("streams from Azure deployment URLs with filter chunks", async () => {
    const azure = createAzureGateway(simulator, "2024-10-21");

    const { text, accounting } = await streamToText(
      { role: "fast", messages: rankingPrompt("azure"), headers: { "x-sim-fault": "azure_filter_chunks" } },
      azure,
    );

    expect(text).toContain("A01");
    expect(accounting.model).toBe("prod-mini");
    expect(modelRequests(simulator)[0]?.api).toBe("azure-deployment");
  });

  it("reads usage from the usage-only final chunk", async () => {
    const { accounting } = await streamToText({ role: "fast", messages: rankingPrompt("usage") });

    expect(accounting.usage.completionTokens).toBeGreaterThan(0);
    expect(accounting.usage.promptTokens).toBeGreaterThan(0);
  });

  it("reports finish_reason length", async () => {
    const { accounting } = await streamToText({
      role: "fast",
      messages: rankingPrompt("length"),
      headers: { "x-sim-fault": "finish_length" },
    });

    expect(accounting.finishReason).toBe("length");
  });

  it("reports finish_reason content_filter", async () => {
    const { accounting } = await streamToText({
      role: "fast",
      messages: rankingPrompt("filter"),
      headers: { "x-sim-fault": "finish_content_filter" },
    });

    expect(accounting.finishReason).toBe("content_filter");
  });

  it("truncates at max tokens with finish_reason length", async () => {
    const { text, accounting } = await streamToText({ role: "fast", messages: rankingPrompt("max"), maxTokens: 5 });

    expect(accounting.finishReason).toBe("length");
    expect(accounting.usage.completionTokens).toBe(5);
    expect(text.length).toBeGreaterThan(0);
  });
});

describe("streamChat retries and failures", () => {
  it("retries a 503 before the first token", async () => {
    simulator.setFaultRules([{ match: "case-stream-503", fault: "service_unavailable", times: 1 }]);

    const { text, accounting } = await streamToText({ role: "fast", messages: rankingPrompt("case-stream-503") });

    expect(text).toContain("A01");
    expect(accounting.transportAttempts).toBe(2);
    expect(accounting.retryWaitsMs).toEqual([20]);
  });

  it("reports a reset after the first token as an error, without retrying", async () => {
    const { text, errors, accounting } = await streamToText({
      role: "fast",
      messages: rankingPrompt("reset"),
      headers: { "x-sim-fault": "stream_reset" },
    });

    expect(text.length).toBeGreaterThan(0);
    expect(errors).toHaveLength(1);
    expect((errors[0] as ModelError).kind).toBe("connection");
    expect(accounting.finishReason).toBe("error");
    expect(accounting.error).toBeInstanceOf(ModelError);
    expect(modelRequests(simulator)).toHaveLength(1);
  });

  it("reports a non-retryable error before the stream starts", async () => {
    const { errors, accounting } = await streamToText({
      role: "fast",
      messages: rankingPrompt("cf"),
      headers: { "x-sim-fault": "content_filter" },
    });

    expect((errors[0] as ModelError).kind).toBe("content_filter");
    expect(accounting.finishReason).toBe("error");
    expect(accounting.transportAttempts).toBe(1);
  });

  it("measures time to first token from the simulator's delay", async () => {
    const { accounting } = await streamToText({
      role: "fast",
      messages: rankingPrompt("ttft"),
      headers: { "x-sim-ttft-ms": "120" },
    });

    expect(accounting.ttftMs).toBeGreaterThanOrEqual(120);
    expect(accounting.latencyMs).toBeGreaterThanOrEqual(accounting.ttftMs ?? 0);
  });
});

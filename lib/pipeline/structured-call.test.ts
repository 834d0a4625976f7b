import { describe, expect, it } from "vitest";
import { ModelError } from "@/lib/ai/errors";
import type { ChatCallResult, GenerateChatParams } from "@/lib/ai/types";
import { prioritizationProposalsSchema } from "@/lib/tasks/schemas";
import { type AttemptRecord, callStructured, type RenderedPrompt } from "./structured-call";

/**
 * The retry loop with scripted responses in place of the gateway; the same cases run end to end
 * through the simulator in tests/pipeline/failure-cases.test.ts.
 */

const prompt: RenderedPrompt = {
  promptKey: "prioritizer",
  language: "en",
  version: { versionId: "v1", versionNumber: 1, source: "database" },
  role: "fast",
  messages: [
    { role: "system", content: "Answer with a JSON object." },
    { role: "user", content: "<backlog_items>\n[]\n</backlog_items>" },
  ],
  parameters: { temperature: 0.4, maxTokens: 500 },
};

function proposal(value: number) {
  return JSON.stringify({
    items: [
      {
        item_id: "A01",
        proposals: [
          { input: "impact", value, rationale: "Many users ask.", evidence_ids: [], insufficient_evidence: false },
        ],
      },
    ],
  });
}

function response(text: string, finishReason: ChatCallResult["finishReason"] = "stop"): ChatCallResult {
  return {
    text,
    finishReason,
    usage: { promptTokens: 10, completionTokens: 300 },
    latencyMs: 5,
    ttftMs: 5,
    costUsd: null,
    model: "scripted",
    provider: "simulator",
    structuredMode: "json_schema",
    transportAttempts: 1,
    retryWaitsMs: [],
  };
}

/** A generate function that returns the scripted outcomes in order and records each request. */
function scripted(outcomes: Array<ChatCallResult | Error>) {
  const requests: GenerateChatParams[] = [];
  const generate = async (params: GenerateChatParams) => {
    requests.push(params);
    const next = outcomes[requests.length - 1];
    if (!next) throw new Error("no scripted response left");
    if (next instanceof Error) throw next;
    return next;
  };
  return { generate, requests };
}

async function call(outcomes: Array<ChatCallResult | Error>, maxRetries = 3) {
  const { generate, requests } = scripted(outcomes);
  const records: AttemptRecord[] = [];
  const result = await callStructured({
    prompt,
    schema: prioritizationProposalsSchema,
    schemaName: "prioritization_proposals",
    maxRetries,
    generate,
    onAttempt: async (record) => {
      records.push(record);
    },
  });
  return { result, requests, records };
}

describe("callStructured", () => {
  it("returns valid output from one request", async () => {
    const { result, requests } = await call([response(proposal(2))]);

    expect(result.ok).toBe(true);
    expect(result.outcome).toBe("ok");
    expect(requests).toHaveLength(1);
    expect(requests[0]?.output?.schemaName).toBe("prioritization_proposals");
  });

  it("feeds validation errors back at a lower temperature", async () => {
    const { result, requests, records } = await call([response(proposal(4)), response(proposal(2))]);
    const correction = requests[1];
    const feedback = correction?.messages.at(-1)?.content ?? "";

    expect(result.outcome).toBe("ok");
    expect(records.map((record) => record.outcome)).toEqual(["invalid", "ok"]);
    expect(records[1]?.purpose).toBe("correction");
    expect(feedback).toContain("items[0].proposals[0].value: expected one of 0.25, 0.5, 1, 2, 3 for impact, got 4");
    expect(correction?.messages.at(-2)).toEqual({ role: "assistant", content: proposal(4) });
    expect(correction?.temperature).toBe(0.2);
  });

  it("stops at the shared request budget", async () => {
    const invalid = response(proposal(4));
    const { result, requests } = await call([invalid, invalid, invalid, invalid], 2);

    expect(result.ok).toBe(false);
    expect(result.outcome).toBe("invalid");
    expect(requests).toHaveLength(3);
    expect(requests.map((request) => request.temperature)).toEqual([0.4, 0.2, 0.1]);
  });

  it("retries a truncated response once with more tokens", async () => {
    const cut = response(proposal(2).slice(0, 40), "length");
    const { result, requests, records } = await call([cut, response(proposal(2))]);

    expect(result.outcome).toBe("ok");
    expect(records.map((record) => record.purpose)).toEqual(["initial", "more_tokens"]);
    expect(requests[1]?.maxTokens).toBe(1024);
    expect(requests[1]?.messages).toEqual(prompt.messages);
  });

  it("never accepts a response cut at the token limit", async () => {
    const complete = response(proposal(2), "length");
    const { result, records } = await call([complete, complete]);

    expect(result.ok).toBe(false);
    expect(result.outcome).toBe("truncated");
    expect(records.map((record) => record.outcome)).toEqual(["truncated", "truncated"]);
  });

  it("classifies a refusal without retrying", async () => {
    const { result, requests } = await call([response("I'm sorry, but I can't help with that.")]);

    expect(result.outcome).toBe("refused");
    expect(requests).toHaveLength(1);
  });

  it("classifies a rate limit from the gateway", async () => {
    const { result, records } = await call([new ModelError("rate_limited", "Rate limited after 5 attempts.")]);

    expect(result.outcome).toBe("rate_limited");
    expect(!result.ok && result.error.retryable).toBe(true);
    expect(records[0]?.response).toBeUndefined();
  });

  it("classifies the content filter", async () => {
    const { result } = await call([response("", "content_filter")]);

    expect(result.outcome).toBe("content_filtered");
  });

  it("records repairs of a fenced response", async () => {
    const { result, records } = await call([response(`\`\`\`json\n${proposal(1)}\n\`\`\``)]);

    expect(result.outcome).toBe("repaired");
    expect(records[0]?.repairs).toEqual(["fence"]);
    expect(records[0]?.repairedText).toBe(proposal(1));
  });
});

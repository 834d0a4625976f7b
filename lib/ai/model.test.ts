import type { LanguageModelV3, LanguageModelV3StreamPart } from "@ai-sdk/provider";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { logger } from "@/lib/logger";
import { KeyedLimiter } from "./concurrency";
import { GatewayLanguageModel } from "./model";

type Part = LanguageModelV3StreamPart;

const delta = (text: string, id = "t1"): Part => ({ type: "text-delta", id, delta: text });
const finish: Part = {
  type: "finish",
  finishReason: { unified: "stop", raw: "stop" },
  usage: {
    inputTokens: { total: 1, noCache: undefined, cacheRead: undefined, cacheWrite: undefined },
    outputTokens: { total: 3, text: undefined, reasoning: undefined },
  },
};

/** Build a gateway model over a provider stream that the test writes part by part. */
function modelOverScriptedStream(textIntervalMs: number) {
  const source = new TransformStream<Part, Part>();
  const writer = source.writable.getWriter();
  const target = {
    specificationVersion: "v3",
    provider: "scripted",
    modelId: "scripted",
    supportedUrls: {},
    doGenerate: () => Promise.reject(new Error("not used")),
    doStream: async () => ({ stream: source.readable }),
  } as unknown as LanguageModelV3;
  const model = new GatewayLanguageModel(
    {
      resolveTarget: async () => target,
      providerName: "simulator",
      context: { providerKind: "simulator", role: "fast", model: "scripted" },
      policy: {
        maxRetries: 0,
        maxRetryWaitMs: 0,
        attemptTimeoutMs: 60_000,
        backoffBaseMs: 1,
        backoffMaxMs: 1,
        random: () => 0,
      },
      limiter: new KeyedLimiter(4),
      log: logger,
    },
    { deadlineMs: 60_000, textIntervalMs },
  );
  return { model, writer };
}

/** Open the stream after the provider's first part, which the gateway reads before it returns. */
async function open(textIntervalMs: number, first: Part) {
  const { model, writer } = modelOverScriptedStream(textIntervalMs);
  void writer.write(first);
  const { stream } = await model.doStream({ prompt: [] });
  return { reader: stream.getReader(), writer };
}

function describeParts(parts: Part[]): string[] {
  return parts.map((part) => (part.type === "text-delta" ? `${part.id}:${part.delta}` : part.type));
}

async function readAll(reader: ReadableStreamDefaultReader<Part>): Promise<Part[]> {
  const seen: Part[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return seen;
    seen.push(value);
  }
}

describe("GatewayLanguageModel text interval", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance"] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("passes the first delta at once and merges the ones within the interval", async () => {
    const { reader, writer } = await open(30, delta("Why "));
    expect((await reader.read()).value).toEqual(delta("Why "));

    const next = reader.read();
    await writer.write(delta("A01 "));
    await vi.advanceTimersByTimeAsync(5);
    await writer.write(delta("leads"));
    await writer.write({ type: "text-end", id: "t1" });
    expect((await next).value).toEqual(delta("A01 leads"));
    // Writes wait for reads, because the provider stream has no queue.
    const ending = writer.write(finish).then(() => writer.close());
    expect(describeParts(await readAll(reader))).toEqual(["text-end", "finish"]);
    await ending;
  });

  it("sends the first token at once after an empty delta", async () => {
    const { reader, writer } = await open(30, delta(""));
    expect((await reader.read()).value).toEqual(delta(""));

    const next = reader.read();
    await writer.write(delta("Why"));
    expect((await next).value).toEqual(delta("Why"));
  });

  it("sends held text when the interval ends, even if the model pauses", async () => {
    const { reader, writer } = await open(30, delta("a"));
    await reader.read();
    const next = reader.read();
    await writer.write(delta("b"));
    await writer.write(delta("c"));
    await vi.advanceTimersByTimeAsync(30);
    expect((await next).value).toEqual(delta("bc"));
    // The provider's next part is still awaited after the interval ended.
    const later = reader.read();
    await writer.write(delta("d"));
    await vi.advanceTimersByTimeAsync(30);
    expect((await later).value).toEqual(delta("d"));
  });

  it("keeps text blocks and other parts in order", async () => {
    const { reader, writer } = await open(30, delta("one", "t1"));
    const writing = (async () => {
      for (const part of [delta(" more", "t1"), delta("two", "t2"), finish]) await writer.write(part);
      await writer.close();
    })();
    const seen = await readAll(reader);
    await writing;
    expect(describeParts(seen)).toEqual(["t1:one", "t1: more", "t2:two", "finish"]);
  });

  it("passes every delta on when the interval is 0", async () => {
    const { reader, writer } = await open(0, delta("a"));
    const writing = (async () => {
      for (const part of [delta("b"), delta("c"), finish]) await writer.write(part);
      await writer.close();
    })();
    const seen = await readAll(reader);
    await writing;
    expect(describeParts(seen)).toEqual(["t1:a", "t1:b", "t1:c", "finish"]);
  });
});

import type { TextStreamPart, ToolSet } from "ai";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createDeltaCoalescer } from "./coalesce";

type Part = TextStreamPart<ToolSet>;

const delta = (text: string, id = "t1"): Part => ({ type: "text-delta", id, text });

/** Feed parts to the coalescer one at a time; `between` runs before each part after the first. */
async function run(intervalMs: number, parts: Part[], between: () => Promise<unknown> = async () => {}) {
  const transform = createDeltaCoalescer(intervalMs)<ToolSet>();
  const writer = transform.writable.getWriter();
  const seen: Part[] = [];
  const reading = (async () => {
    for await (const part of transform.readable as unknown as AsyncIterable<Part>) seen.push(part);
  })();
  for (const [index, part] of parts.entries()) {
    if (index > 0) await between();
    await writer.write(part);
  }
  await writer.close();
  await reading;
  return seen;
}

describe("createDeltaCoalescer", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance"] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("merges deltas after the first", async () => {
    const seen = await run(30, [delta("Why "), delta("A01 "), delta("leads"), { type: "text-end", id: "t1" }], () =>
      vi.advanceTimersByTimeAsync(5),
    );
    expect(seen).toEqual([delta("Why "), delta("A01 leads"), { type: "text-end", id: "t1" }]);
  });

  it("sends merged text when the interval ends even if the model pauses", async () => {
    const transform = createDeltaCoalescer(30)<ToolSet>();
    const writer = transform.writable.getWriter();
    const reader = transform.readable.getReader();
    // Writes wait for a pending read: the transform's readable side has no queue.
    const first = reader.read();
    await writer.write(delta("a"));
    expect((await first).value).toEqual(delta("a"));
    const next = reader.read();
    await writer.write(delta("b"));
    await writer.write(delta("c"));
    await vi.advanceTimersByTimeAsync(30);
    expect((await next).value).toEqual(delta("bc"));
  });

  it("keeps blocks and parts in order", async () => {
    const seen = await run(30, [
      delta("one", "t1"),
      delta(" more", "t1"),
      delta("two", "t2"),
      { type: "finish-step" } as Part,
    ]);
    expect(seen.map((part) => (part.type === "text-delta" ? `${part.id}:${part.text}` : part.type))).toEqual([
      "t1:one",
      "t1: more",
      "t2:two",
      "finish-step",
    ]);
  });

  it("passes every delta through when the interval is 0", async () => {
    const seen = await run(0, [delta("a"), delta("b"), delta("c")]);
    expect(seen).toEqual([delta("a"), delta("b"), delta("c")]);
  });
});

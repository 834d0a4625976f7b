import { describe, expect, it } from "vitest";
import { CitationFilter } from "./citations";

function run(chunks: string[], known: number[]) {
  const filter = new CitationFilter(new Set(known));
  const outputs = chunks.map((chunk) => filter.push(chunk));
  outputs.push(filter.flush());
  return { text: outputs.join(""), outputs, filter };
}

describe("CitationFilter", () => {
  it("keeps known citations", () => {
    const { text, filter } = run(["A02 ranks first [1].", " Finance teams ask [2]."], [1, 2]);

    expect(text).toBe("A02 ranks first [1]. Finance teams ask [2].");
    expect(filter.citedNumbers).toEqual([1, 2]);
    expect(filter.removedNumbers).toEqual([]);
  });

  it("removes an unknown citation and its space", () => {
    const { text, filter } = run(["Reach is high [7]."], [1, 2]);

    expect(text).toBe("Reach is high.");
    expect(filter.removedNumbers).toEqual([7]);
  });

  it("removes a citation split across chunks", () => {
    const { text, outputs } = run(["Reach is high [", "1", "2", "] and effort low [", "2]."], [1, 2]);

    expect(text).toBe("Reach is high and effort low [2].");
    expect(outputs.join("")).not.toContain("12");
  });

  it("never sends a partial citation early", () => {
    const { outputs } = run(["Exports [", "9"], [1]);

    expect(outputs[0]).toBe("Exports");
    expect(outputs[1]).toBe("");
  });

  it("keeps the known numbers of a group", () => {
    const { text, filter } = run(["Both [1, 5; 2]."], [1, 2]);

    expect(text).toBe("Both [1][2].");
    expect(filter.removedNumbers).toEqual([5]);
  });

  it("leaves brackets that are not citations", () => {
    const { text } = run(["See [the docs](https://example.test) and [x] or [", "note]."], [1]);

    expect(text).toBe("See [the docs](https://example.test) and [x] or [note].");
  });

  it("releases an unclosed bracket at the end", () => {
    const { text } = run(["Values in [1, 2"], [1, 2]);

    expect(text).toBe("Values in [1, 2");
  });

  it("keeps trailing spaces between chunks", () => {
    const { text } = run(["one ", "two ", "three"], []);

    expect(text).toBe("one two three");
  });
});

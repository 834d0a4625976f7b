import { describe, expect, it } from "vitest";
import { type DiffSegment, diffWords, summarizeDiff, tokenizeWords } from "./word-diff";

function textOf(segments: DiffSegment[], side: "before" | "after"): string {
  const skip = side === "before" ? "insert" : "delete";
  return segments
    .filter((segment) => segment.op !== skip)
    .map((segment) => segment.text)
    .join("");
}

describe("tokenizeWords", () => {
  it("keeps a placeholder as one word", () => {
    expect(tokenizeWords("Use $framework now.")).toEqual(["Use", " ", "$framework", " ", "now", "."]);
  });

  it("keeps accented words whole", () => {
    expect(tokenizeWords("entrées à proposer")).toEqual(["entrées", " ", "à", " ", "proposer"]);
  });
});

describe("diffWords", () => {
  it("returns one equal segment for equal texts", () => {
    expect(diffWords("Same text.", "Same text.")).toEqual([{ op: "equal", text: "Same text." }]);
  });

  it("marks one replaced word", () => {
    const segments = diffWords("Rank the backlog items.", "Rank the feedback items.");

    expect(segments).toEqual([
      { op: "equal", text: "Rank the " },
      { op: "delete", text: "backlog" },
      { op: "insert", text: "feedback" },
      { op: "equal", text: " items." },
    ]);
  });

  it("marks a removed placeholder", () => {
    const segments = diffWords("Write in $language_name.", "Write in.");

    expect(segments.filter((segment) => segment.op === "delete").map((segment) => segment.text)).toEqual([
      " $language_name",
    ]);
    expect(segments.some((segment) => segment.op === "insert")).toBe(false);
  });

  it("folds a lone space between two changes into one replacement", () => {
    const segments = diffWords("the red car", "a blue car");

    expect(segments).toEqual([
      { op: "delete", text: "the red" },
      { op: "insert", text: "a blue" },
      { op: "equal", text: " car" },
    ]);
  });

  it("handles an empty side", () => {
    expect(diffWords("", "New text")).toEqual([{ op: "insert", text: "New text" }]);
    expect(diffWords("Old text", "")).toEqual([{ op: "delete", text: "Old text" }]);
  });

  it("rebuilds both texts from the segments", () => {
    const before = "Propose the missing $framework inputs.\nEvidence:\n$evidence\nAnswer in JSON.";
    const after = "Propose only the missing $framework inputs of each item.\n$evidence\nAnswer with one JSON object.";
    const segments = diffWords(before, after);

    expect(textOf(segments, "before")).toBe(before);
    expect(textOf(segments, "after")).toBe(after);
  });

  it("rebuilds long, mostly different texts", () => {
    const before = Array.from({ length: 3000 }, (_, index) => `word${index % 97}`).join(" ");
    const after = Array.from({ length: 3000 }, (_, index) => `word${(index * 7) % 89}`).join(" ");
    const segments = diffWords(before, after);

    expect(textOf(segments, "before")).toBe(before);
    expect(textOf(segments, "after")).toBe(after);
  });
});

describe("summarizeDiff", () => {
  it("counts added and removed words", () => {
    expect(summarizeDiff(diffWords("one two three", "one four five three"))).toEqual({ added: 2, removed: 1 });
  });
});

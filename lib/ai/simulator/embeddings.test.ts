import { describe, expect, it } from "vitest";
import { embedText, SIMULATED_EMBEDDING_DIMENSIONS } from "./embeddings";

const cosine = (a: number[], b: number[]) => a.reduce((sum, value, index) => sum + value * (b[index] ?? 0), 0);

describe("embedText", () => {
  it("returns a unit vector of the simulator's dimension", () => {
    const vector = embedText("Export reports to PDF");

    expect(vector).toHaveLength(SIMULATED_EMBEDDING_DIMENSIONS);
    expect(Math.hypot(...vector)).toBeCloseTo(1, 10);
  });

  it("is deterministic", () => {
    expect(embedText("dark mode")).toEqual(embedText("dark mode"));
  });

  it("puts texts that share words closer than texts that do not", () => {
    const query = embedText("PDF export is slow");
    const related = embedText("slow export of PDF reports");
    const unrelated = embedText("single sign-on with Okta");

    expect(cosine(query, related)).toBeGreaterThan(cosine(query, unrelated) + 0.2);
  });

  it("relates word forms through shared trigrams", () => {
    const query = embedText("exporting");
    const related = embedText("exported");
    const unrelated = embedText("billing");

    expect(cosine(query, related)).toBeGreaterThan(cosine(query, unrelated));
  });

  it("weighs meaning words over function words", () => {
    const query = embedText("What do customers say about exports?");
    const related = embedText("A manual export of each card to Excel");
    const sameFunctionWords = embedText("What do they say about the pricing?");

    expect(cosine(query, related)).toBeGreaterThan(cosine(query, sameFunctionWords));
  });

  it("honours a requested dimension", () => {
    expect(embedText("x", 64)).toHaveLength(64);
  });

  it("returns a unit vector for empty text", () => {
    expect(Math.hypot(...embedText(""))).toBeCloseTo(1, 10);
  });
});

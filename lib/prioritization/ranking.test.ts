import { describe, expect, it } from "vitest";
import type { InputValues } from "./effective";
import { computeRanks, rankItems } from "./ranking";

function item(number: number, values: InputValues) {
  return { id: `item-${number}`, number, values };
}

const rice = (reach: number, effort = 1) => ({ reach, impact: 1, confidence: 100, effort });
const wsjf = (businessValue: number, jobSize = 1) => ({
  business_value: businessValue,
  time_criticality: 1,
  risk_reduction: 1,
  job_size: jobSize,
});

describe("computeRanks", () => {
  it("gives tied scores the same rank and skips the next", () => {
    const ranks = computeRanks([
      { id: "a", number: 1, score: 10 },
      { id: "b", number: 2, score: 20 },
      { id: "c", number: 3, score: 20 },
      { id: "d", number: 4, score: 5 },
    ]);
    expect(ranks.get("b")).toBe(1);
    expect(ranks.get("c")).toBe(1);
    expect(ranks.get("a")).toBe(3);
    expect(ranks.get("d")).toBe(4);
  });

  it("treats float noise as a tie", () => {
    const ranks = computeRanks([
      { id: "a", number: 1, score: 0.1 + 0.2 },
      { id: "b", number: 2, score: 0.3 },
    ]);
    expect(ranks.get("a")).toBe(1);
    expect(ranks.get("b")).toBe(1);
  });

  it("leaves unscored entries out", () => {
    expect(computeRanks([{ id: "a", number: 1, score: null }]).has("a")).toBe(false);
  });
});

describe("rankItems", () => {
  const items = [
    item(1, { ...rice(100), ...wsjf(20) }),
    item(2, { ...rice(300), ...wsjf(1) }),
    item(3, { ...rice(200) }),
    item(4, { reach: 50 }),
  ];

  it("orders ranked items by the chosen framework's score", () => {
    const ranking = rankItems(items, { framework: "rice", iceMode: "product" });
    expect(ranking.ranked.map((entry) => entry.item.number)).toEqual([2, 3, 1]);
    expect(ranking.ranked.map((entry) => entry.rank)).toEqual([1, 2, 3]);
  });

  it("lists items with a missing input as needing input, with the missing inputs", () => {
    const ranking = rankItems(items, { framework: "rice", iceMode: "product" });
    expect(ranking.needsInput.map((entry) => entry.item.number)).toEqual([4]);
    expect(ranking.needsInput[0]?.missing).toEqual(["impact", "confidence", "effort"]);
    expect(ranking.needsInput[0]?.rank).toBeNull();
  });

  it("shows other frameworks' ranks with the difference", () => {
    const ranking = rankItems(items, { framework: "rice", iceMode: "product" });
    const first = ranking.ranked.find((entry) => entry.item.number === 1);
    const second = ranking.ranked.find((entry) => entry.item.number === 2);
    expect(first?.ranks).toEqual({ rice: 3, ice: null, wsjf: 1 });
    expect(first?.rankDifferences.wsjf).toBe(-2);
    expect(second?.rankDifferences.wsjf).toBe(1);
    expect(first?.rankDifferences.ice).toBeNull();
    expect(first?.rankDifferences.rice).toBe(0);
  });

  it("ranks by WSJF when chosen, listing RICE-only items as needing input", () => {
    const ranking = rankItems(items, { framework: "wsjf", iceMode: "product" });
    expect(ranking.ranked.map((entry) => entry.item.number)).toEqual([1, 2]);
    expect(ranking.needsInput.map((entry) => entry.item.number)).toEqual([3, 4]);
  });

  it("keeps every score unchanged when an item is added", () => {
    const before = rankItems(items, { framework: "rice", iceMode: "product" });
    const after = rankItems([...items, item(5, rice(10_000))], { framework: "rice", iceMode: "product" });
    for (const entry of before.ranked) {
      const same = after.ranked.find((candidate) => candidate.item.id === entry.item.id);
      expect(same?.scores).toEqual(entry.scores);
    }
  });

  it("places each item on the chosen framework's value vs effort chart", () => {
    const ranking = rankItems([item(1, rice(1000, 1))], { framework: "rice", iceMode: "product" });
    expect(ranking.ranked[0]?.valueEffort).toMatchObject({ status: "placed", quadrant: "quick_win" });
  });

  it("orders tied items by number", () => {
    const ranking = rankItems([item(9, rice(100)), item(3, rice(100))], { framework: "rice", iceMode: "product" });
    expect(ranking.ranked.map((entry) => entry.item.number)).toEqual([3, 9]);
    expect(ranking.ranked.map((entry) => entry.rank)).toEqual([1, 1]);
  });

  it("scores ICE with the chosen mode", () => {
    const values = { ice_impact: 2, ice_confidence: 3, ice_ease: 4 };
    const product = rankItems([item(1, values)], { framework: "ice", iceMode: "product" });
    const mean = rankItems([item(1, values)], { framework: "ice", iceMode: "mean" });
    expect(product.ranked[0]?.scores.ice).toEqual({ status: "scored", score: 24 });
    expect(mean.ranked[0]?.scores.ice).toEqual({ status: "scored", score: 3 });
  });

  it("returns empty lists for an empty backlog", () => {
    const ranking = rankItems([], { framework: "rice", iceMode: "product" });
    expect(ranking.ranked).toEqual([]);
    expect(ranking.needsInput).toEqual([]);
  });
});

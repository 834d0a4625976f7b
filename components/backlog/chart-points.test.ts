import { describe, expect, it } from "vitest";
import { MAX_CHART_POINTS, selectChartItems } from "./chart-points";

/** Ids `item-1` … `item-n`, in rank order. */
function rankedIds(count: number): string[] {
  return Array.from({ length: count }, (_, index) => `item-${index + 1}`);
}

function select(ids: string[], keep: string[], max: number): string[] {
  return selectChartItems(ids, { idOf: (id) => id, keep: new Set(keep), max });
}

describe("selectChartItems", () => {
  it("returns a list within the cap whole", () => {
    const ids = rankedIds(5);

    expect(select(ids, [], 5)).toEqual(ids);
    expect(select(ids, ["item-3"], 10)).toEqual(ids);
  });

  it("keeps the best ranked up to the cap", () => {
    expect(select(rankedIds(10), [], 3)).toEqual(["item-1", "item-2", "item-3"]);
  });

  it("keeps kept ids beyond the cap", () => {
    const chosen = select(rankedIds(10), ["item-9", "item-7"], 4);

    expect(chosen).toHaveLength(4);
    expect(chosen).toContain("item-7");
    expect(chosen).toContain("item-9");
  });

  it("fills the rest by rank, in rank order", () => {
    expect(select(rankedIds(10), ["item-9", "item-7"], 4)).toEqual(["item-1", "item-2", "item-7", "item-9"]);
  });

  it("keeps the best-ranked kept items when they exceed the cap", () => {
    expect(select(rankedIds(10), ["item-10", "item-8", "item-6", "item-4"], 3)).toEqual(["item-4", "item-6", "item-8"]);
  });

  it("ignores kept ids that are not in the list", () => {
    expect(select(rankedIds(10), ["deleted-item"], 3)).toEqual(["item-1", "item-2", "item-3"]);
  });

  it("caps a large list at MAX_CHART_POINTS", () => {
    const ids = rankedIds(MAX_CHART_POINTS * 4);
    const last = ids.at(-1) ?? "";
    const chosen = select(ids, [last], MAX_CHART_POINTS);

    expect(chosen).toHaveLength(MAX_CHART_POINTS);
    expect(chosen.at(-1)).toBe(last);
    expect(chosen.slice(0, -1)).toEqual(ids.slice(0, MAX_CHART_POINTS - 1));
  });

  it("rejects a negative or fractional max", () => {
    expect(() => select(rankedIds(3), [], -1)).toThrow(RangeError);
    expect(() => select(rankedIds(3), [], 1.5)).toThrow(RangeError);
  });
});

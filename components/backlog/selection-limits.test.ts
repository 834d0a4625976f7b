import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { MAX_BULK_ITEMS } from "@/lib/backlog/schemas";
import { checkSelectionLimits, MAX_PRIORITIZE_LINK_ITEMS, prioritizeSelectionHref } from "./selection-limits";

describe("checkSelectionLimits", () => {
  it("allows changes up to the bulk limit", () => {
    expect(checkSelectionLimits(MAX_BULK_ITEMS).canChange).toBe(true);
    expect(checkSelectionLimits(MAX_BULK_ITEMS + 1).canChange).toBe(false);
    expect(checkSelectionLimits(100_003).canChange).toBe(false);
  });

  it("allows the prioritize link up to its limit", () => {
    expect(checkSelectionLimits(MAX_PRIORITIZE_LINK_ITEMS).canPrioritize).toBe(true);
    expect(checkSelectionLimits(MAX_PRIORITIZE_LINK_ITEMS + 1).canPrioritize).toBe(false);
  });
});

describe("prioritizeSelectionHref", () => {
  it("lists the selected ids", () => {
    const ids = [randomUUID(), randomUUID()];

    expect(prioritizeSelectionHref("w1", ids)).toBe(`/w/w1/prioritize?items=${ids[0]},${ids[1]}`);
  });

  it("keeps the longest URL under 4 KB", () => {
    const ids = Array.from({ length: MAX_PRIORITIZE_LINK_ITEMS }, () => randomUUID());

    const href = prioritizeSelectionHref(randomUUID(), ids);

    expect(href).not.toBeNull();
    expect(href?.length).toBeLessThan(4096);
  });

  it("offers no link for a larger selection", () => {
    const ids = Array.from({ length: 1_111 }, () => randomUUID());

    expect(prioritizeSelectionHref("w1", ids)).toBeNull();
    expect(prioritizeSelectionHref("w1", [])).toBeNull();
  });
});

import { describe, expect, it } from "vitest";
import { defaultPrices, estimateCostUsd, findPrice } from "./prices";

describe("findPrice", () => {
  it("prefers the longest matching prefix", () => {
    expect(findPrice(defaultPrices, ["gpt-4o-mini-2024-07-18"])).toEqual(defaultPrices["gpt-4o-mini"]);
  });

  it("tries an exact key of any candidate before prefixes", () => {
    const prices = { "my-deployment": { input: 9, output: 9 }, "gpt-4o": { input: 1, output: 1 } };

    expect(findPrice(prices, ["gpt-4o-2024-08-06", "my-deployment"])).toEqual({ input: 9, output: 9 });
  });

  it("returns undefined for an unknown model", () => {
    expect(findPrice(defaultPrices, ["llama3.1"])).toBeUndefined();
  });
});

describe("estimateCostUsd", () => {
  it("charges per million tokens", () => {
    expect(
      estimateCostUsd({ input: 0.15, output: 0.6 }, { promptTokens: 1_000_000, completionTokens: 500_000 }),
    ).toBeCloseTo(0.45, 10);
  });

  it("returns null without a price", () => {
    expect(estimateCostUsd(undefined, { promptTokens: 1, completionTokens: 1 })).toBeNull();
  });
});

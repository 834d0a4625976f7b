import { describe, expect, it } from "vitest";
import { classifyQuadrant, placeValueEffort } from "./quadrants";

describe("classifyQuadrant", () => {
  it("names the four quadrants", () => {
    expect(classifyQuadrant(true, false)).toBe("quick_win");
    expect(classifyQuadrant(true, true)).toBe("big_bet");
    expect(classifyQuadrant(false, false)).toBe("fill_in");
    expect(classifyQuadrant(false, true)).toBe("money_pit");
  });
});

describe("placeValueEffort", () => {
  it("places a wide, cheap RICE item as a quick win", () => {
    const placement = placeValueEffort("rice", { reach: 1000, impact: 1, confidence: 100, effort: 1 });
    expect(placement).toEqual({ status: "placed", value: 1000, effort: 1, quadrant: "quick_win" });
  });

  it("places a RICE item at the value threshold as low value", () => {
    const placement = placeValueEffort("rice", { reach: 500, impact: 1, confidence: 100, effort: 3 });
    expect(placement).toMatchObject({ value: 500, quadrant: "money_pit" });
  });

  it("uses 11 minus ease as ICE effort", () => {
    const placement = placeValueEffort("ice", { ice_impact: 6, ice_ease: 10 });
    expect(placement).toEqual({ status: "placed", value: 6, effort: 1, quadrant: "quick_win" });
  });

  it("places a costly WSJF job with high cost of delay as a big bet", () => {
    const placement = placeValueEffort("wsjf", {
      business_value: 8,
      time_criticality: 5,
      risk_reduction: 3,
      job_size: 8,
    });
    expect(placement).toEqual({ status: "placed", value: 16, effort: 8, quadrant: "big_bet" });
  });

  it("places three middle WSJF values on a small job as a fill-in", () => {
    const placement = placeValueEffort("wsjf", {
      business_value: 5,
      time_criticality: 5,
      risk_reduction: 5,
      job_size: 5,
    });
    expect(placement).toMatchObject({ quadrant: "fill_in" });
  });

  it("uses thresholds passed by the caller", () => {
    const values = { reach: 100, impact: 1, confidence: 100, effort: 1 };
    expect(placeValueEffort("rice", values, { valueThreshold: 50 })).toMatchObject({ quadrant: "quick_win" });
  });

  it("lists missing axis inputs", () => {
    expect(placeValueEffort("ice", { ice_impact: 3 })).toEqual({
      status: "needs_input",
      missing: ["ice_ease"],
      invalid: [],
    });
  });
});

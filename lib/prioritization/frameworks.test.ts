import { describe, expect, it } from "vitest";
import { scoreFramework, scoreIce, scoreRice, scoreWsjf } from "./frameworks";

const fullRice = { reach: 1000, impact: 2, confidence: 80, effort: 4 };
const fullIce = { ice_impact: 8, ice_confidence: 5, ice_ease: 2 };
const fullWsjf = { business_value: 8, time_criticality: 5, risk_reduction: 3, job_size: 8 };

describe("scoreRice", () => {
  it("multiplies reach, impact and confidence as a fraction, over effort", () => {
    expect(scoreRice(fullRice)).toEqual({ status: "scored", score: 400 });
  });

  it("lists every missing input instead of scoring zero", () => {
    const result = scoreRice({ reach: 10, effort: 1 });
    expect(result.status).toBe("needs_input");
    expect(result).toMatchObject({ missing: ["impact", "confidence"], invalid: [] });
  });

  it("treats an off-scale value as invalid, not as a score", () => {
    const result = scoreRice({ ...fullRice, impact: 1.5 });
    expect(result).toEqual({ status: "needs_input", missing: [], invalid: ["impact"] });
  });

  it("rejects zero effort instead of dividing by it", () => {
    expect(scoreRice({ ...fullRice, effort: 0 })).toMatchObject({ status: "needs_input", invalid: ["effort"] });
  });

  it("accepts the smallest effort on the scale", () => {
    expect(scoreRice({ ...fullRice, effort: 0.05 })).toMatchObject({ status: "scored" });
  });

  it("ignores inputs of other frameworks", () => {
    expect(scoreRice({ ...fullRice, ...fullIce })).toEqual(scoreRice(fullRice));
  });
});

describe("scoreIce", () => {
  it("multiplies the three inputs in product mode", () => {
    expect(scoreIce(fullIce, "product")).toEqual({ status: "scored", score: 80 });
  });

  it("averages the three inputs in mean mode", () => {
    expect(scoreIce(fullIce, "mean")).toEqual({ status: "scored", score: 5 });
  });

  it("spans 1 to 1000 in product mode", () => {
    expect(scoreIce({ ice_impact: 1, ice_confidence: 1, ice_ease: 1 }, "product")).toMatchObject({ score: 1 });
    expect(scoreIce({ ice_impact: 10, ice_confidence: 10, ice_ease: 10 }, "product")).toMatchObject({ score: 1000 });
  });

  it("lists a missing ease", () => {
    expect(scoreIce({ ice_impact: 3, ice_confidence: 3 }, "mean")).toMatchObject({ missing: ["ice_ease"] });
  });

  it("rejects a fractional value on the 1-10 scale", () => {
    expect(scoreIce({ ...fullIce, ice_ease: 2.5 }, "product")).toMatchObject({ invalid: ["ice_ease"] });
  });
});

describe("scoreWsjf", () => {
  it("divides the cost of delay by job size", () => {
    expect(scoreWsjf(fullWsjf)).toEqual({ status: "scored", score: 2 });
  });

  it("rejects a value off the Fibonacci scale", () => {
    expect(scoreWsjf({ ...fullWsjf, job_size: 4 })).toMatchObject({ invalid: ["job_size"] });
  });

  it("lists every missing input when none are set", () => {
    expect(scoreWsjf({})).toMatchObject({
      missing: ["business_value", "time_criticality", "risk_reduction", "job_size"],
    });
  });
});

describe("scoreFramework", () => {
  it("dispatches to the chosen framework with the ICE mode", () => {
    const values = { ...fullRice, ...fullIce, ...fullWsjf };
    expect(scoreFramework("rice", values, { iceMode: "product" })).toEqual(scoreRice(values));
    expect(scoreFramework("ice", values, { iceMode: "mean" })).toEqual(scoreIce(values, "mean"));
    expect(scoreFramework("wsjf", values, { iceMode: "product" })).toEqual(scoreWsjf(values));
  });
});

import { describe, expect, it } from "vitest";
import { type Assertion, assertionSchema, evaluateAssertions, resolvePath, type TestObservation } from "./assertions";

const output = {
  items: [
    {
      item_id: "A01",
      proposals: [
        { input: "reach", value: 900, rationale: "A01 is requested by many customers.", evidence_ids: ["AF001"] },
        { input: "effort", value: 2, rationale: "A01 needs a PDF renderer.", evidence_ids: [] },
      ],
    },
  ],
};

const observation: TestObservation = { parsed: true, valid: true, output, latencyMs: 1200, costUsd: 0.002 };

function evaluate(assertion: Assertion, seen: TestObservation = observation) {
  const [result] = evaluateAssertions([assertion], seen);
  if (!result) throw new Error("no result");
  return result;
}

describe("resolvePath", () => {
  it("reads a nested value", () => {
    expect(resolvePath(output, "items[0].proposals[1].value")).toEqual([2]);
  });

  it("fans out on [*]", () => {
    expect(resolvePath(output, "items[0].proposals[*].input")).toEqual(["reach", "effort"]);
  });

  it("returns null for a missing key", () => {
    expect(resolvePath(output, "items[0].score")).toBeNull();
  });

  it("returns null for an index past the end", () => {
    expect(resolvePath(output, "items[3]")).toBeNull();
  });

  it("returns the whole output for the empty path", () => {
    expect(resolvePath("free text", "")).toEqual(["free text"]);
  });
});

describe("assertionSchema", () => {
  it("rejects a range without bounds", () => {
    expect(assertionSchema.safeParse({ kind: "range", path: "a" }).success).toBe(false);
  });

  it("rejects a malformed path", () => {
    expect(assertionSchema.safeParse({ kind: "equals", path: "items[0", value: 1 }).success).toBe(false);
  });

  it("accepts a path starting with an index", () => {
    expect(assertionSchema.safeParse({ kind: "equals", path: "[0].id", value: "A01" }).success).toBe(true);
  });
});

describe("evaluateAssertions", () => {
  it("passes equals on a matching value", () => {
    expect(evaluate({ kind: "equals", path: "items[0].item_id", value: "A01" }).passed).toBe(true);
  });

  it("fails equals with the actual value", () => {
    const result = evaluate({ kind: "equals", path: "items[0].item_id", value: "A02" });

    expect(result.passed).toBe(false);
    expect(result.failure).toBe("not_equal");
    expect(result.actual).toBe("A01");
  });

  it("compares objects regardless of key order", () => {
    const result = evaluate({ kind: "equals", path: "items[0].proposals[1].evidence_ids", value: [] });

    expect(result.passed).toBe(true);
  });

  it("passes contains on a substring, ignoring case", () => {
    expect(evaluate({ kind: "contains", path: "items[0].proposals[0].rationale", value: "MANY" }).passed).toBe(true);
  });

  it("passes contains on an array element", () => {
    expect(evaluate({ kind: "contains", path: "items[0].proposals[0].evidence_ids", value: "AF001" }).passed).toBe(
      true,
    );
  });

  it("fails a range on every element with [*]", () => {
    const result = evaluate({ kind: "range", path: "items[0].proposals[*].value", min: 5 });

    expect(result.passed).toBe(false);
    expect(result.failure).toBe("out_of_range");
    expect(result.actual).toBe(2);
  });

  it("fails a range on a string", () => {
    expect(evaluate({ kind: "range", path: "items[0].item_id", max: 3 }).failure).toBe("not_a_number");
  });

  it("fails on a missing path", () => {
    expect(evaluate({ kind: "equals", path: "items[0].score", value: 1 }).failure).toBe("missing_path");
  });

  it("checks the latency", () => {
    expect(evaluate({ kind: "max_latency_ms", value: 2000 }).passed).toBe(true);
    expect(evaluate({ kind: "max_latency_ms", value: 1000 }).failure).toBe("too_slow");
  });

  it("checks the cost", () => {
    expect(evaluate({ kind: "max_cost_usd", value: 0.01 }).passed).toBe(true);
    expect(evaluate({ kind: "max_cost_usd", value: 0.001 }).failure).toBe("too_costly");
  });

  it("fails the cost when the price is unknown", () => {
    expect(evaluate({ kind: "max_cost_usd", value: 1 }, { ...observation, costUsd: null }).failure).toBe(
      "unknown_cost",
    );
  });

  it("fails value checks and the schema on invalid output", () => {
    const invalid: TestObservation = { ...observation, valid: false, output: undefined };

    expect(evaluate({ kind: "matches_schema" }, invalid).failure).toBe("invalid");
    expect(evaluate({ kind: "equals", path: "items[0].item_id", value: "A01" }, invalid).failure).toBe("invalid");
  });

  it("fails parses on unparsed output", () => {
    expect(evaluate({ kind: "parses" }, { ...observation, parsed: false, valid: false }).failure).toBe("unparsed");
  });
});

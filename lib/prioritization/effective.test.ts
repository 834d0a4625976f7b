import { describe, expect, it } from "vitest";
import { type InputRow, overlayProposals, resolveEffectiveInputs, toInputValues } from "./effective";

let sequence = 0;
function row(overrides: Partial<InputRow> & Pick<InputRow, "source" | "value">): InputRow {
  sequence += 1;
  return {
    id: `00000000-0000-0000-0000-${String(sequence).padStart(12, "0")}`,
    input: "reach",
    status: overrides.source === "ai" ? "accepted" : "active",
    rationale: null,
    evidenceIds: [],
    authorId: null,
    runId: null,
    createdAt: new Date(Date.UTC(2025, 0, 1, 0, sequence)),
    reviewedAt: null,
    ...overrides,
  };
}

const at = (minute: number) => new Date(Date.UTC(2025, 0, 1, 12, minute));

describe("resolveEffectiveInputs", () => {
  it("prefers a PM value over AI and import values", () => {
    const effective = resolveEffectiveInputs([
      row({ source: "import", value: 100, createdAt: at(3) }),
      row({ source: "ai", value: 200, createdAt: at(2), reviewedAt: at(4) }),
      row({ source: "pm", value: 300, createdAt: at(1) }),
    ]);
    expect(effective.reach?.value).toBe(300);
    expect(effective.reach?.source).toBe("pm");
  });

  it("prefers an accepted AI proposal over an import", () => {
    const effective = resolveEffectiveInputs([
      row({ source: "ai", value: 200, createdAt: at(1), reviewedAt: at(2) }),
      row({ source: "import", value: 100, createdAt: at(3) }),
    ]);
    expect(effective.reach?.source).toBe("ai");
  });

  it("ignores proposed and rejected AI rows", () => {
    const effective = resolveEffectiveInputs([
      row({ source: "ai", value: 200, status: "proposed" }),
      row({ source: "ai", value: 300, status: "rejected", reviewedAt: at(5) }),
      row({ source: "import", value: 100 }),
    ]);
    expect(effective.reach?.value).toBe(100);
  });

  it("falls back when the PM clears their value", () => {
    const effective = resolveEffectiveInputs([
      row({ source: "import", value: 100, createdAt: at(1) }),
      row({ source: "pm", value: 300, createdAt: at(2) }),
      row({ source: "pm", value: null, createdAt: at(3) }),
    ]);
    expect(effective.reach?.value).toBe(100);
    expect(effective.reach?.source).toBe("import");
  });

  it("uses the latest value of a source", () => {
    const effective = resolveEffectiveInputs([
      row({ source: "pm", value: 300, createdAt: at(2) }),
      row({ source: "pm", value: 100, createdAt: at(1) }),
    ]);
    expect(effective.reach?.value).toBe(300);
  });

  it("orders accepted AI proposals by acceptance time", () => {
    const effective = resolveEffectiveInputs([
      row({ source: "ai", value: 900, createdAt: at(5), reviewedAt: at(6) }),
      row({ source: "ai", value: 200, createdAt: at(1), reviewedAt: at(7) }),
    ]);
    expect(effective.reach?.value).toBe(200);
    expect(effective.reach?.effectiveAt).toEqual(at(7));
  });

  it("carries rationale, evidence and run of the winning row", () => {
    const effective = resolveEffectiveInputs([
      row({ source: "ai", value: 900, rationale: "Many asks", evidenceIds: ["AF012"], runId: "run-1" }),
    ]);
    expect(effective.reach?.rationale).toBe("Many asks");
    expect(effective.reach?.evidenceIds).toEqual(["AF012"]);
    expect(effective.reach?.runId).toBe("run-1");
  });

  it("leaves an input with only a cleared PM value unset", () => {
    expect(resolveEffectiveInputs([row({ source: "pm", value: null })]).reach).toBeUndefined();
  });

  it("resolves inputs independently", () => {
    const values = toInputValues(
      resolveEffectiveInputs([row({ source: "import", value: 100 }), row({ source: "pm", value: 2, input: "effort" })]),
    );
    expect(values).toEqual({ reach: 100, effort: 2 });
  });
});

describe("overlayProposals", () => {
  it("applies a proposal over an import value", () => {
    const base = resolveEffectiveInputs([row({ source: "import", value: 100 })]);
    const overlaid = overlayProposals(base, [row({ source: "ai", value: 900, status: "proposed" })]);
    expect(overlaid.reach?.value).toBe(900);
    expect(overlaid.reach?.source).toBe("ai");
  });

  it("never replaces a PM value", () => {
    const base = resolveEffectiveInputs([row({ source: "pm", value: 100 })]);
    const overlaid = overlayProposals(base, [row({ source: "ai", value: 900, status: "proposed" })]);
    expect(overlaid.reach?.value).toBe(100);
  });

  it("skips a proposal without a value", () => {
    const base = resolveEffectiveInputs([row({ source: "import", value: 100 })]);
    const overlaid = overlayProposals(base, [row({ source: "ai", value: null, status: "proposed" })]);
    expect(overlaid.reach?.value).toBe(100);
  });

  it("leaves the base object unchanged", () => {
    const base = resolveEffectiveInputs([row({ source: "import", value: 100 })]);
    overlayProposals(base, [row({ source: "ai", value: 900, status: "proposed" })]);
    expect(base.reach?.value).toBe(100);
  });
});

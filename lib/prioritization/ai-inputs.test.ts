import { describe, expect, it } from "vitest";
import { describeInputsToPropose, describeLanguage, planThemeBatches, selectInputsToPropose } from "./ai-inputs";
import type { EffectiveInput } from "./effective";

const now = new Date("2026-06-01T00:00:00Z");
const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);

function input(value: number, source: EffectiveInput["source"], effectiveAt: Date): EffectiveInput {
  return { value, source, rowId: "row", rationale: null, evidenceIds: [], authorId: null, runId: null, effectiveAt };
}

describe("selectInputsToPropose", () => {
  const rule = { staleAfterDays: 90, now };

  it("proposes every missing input", () => {
    const names = selectInputsToPropose({ framework: "rice", inputs: {}, rule, latestEvidenceAt: null });
    expect(names).toEqual(["reach", "impact", "confidence", "effort"]);
  });

  it("keeps recent values and every PM value", () => {
    const inputs = {
      reach: input(100, "import", daysAgo(10)),
      impact: input(2, "pm", daysAgo(400)),
      confidence: input(80, "ai", daysAgo(5)),
      effort: input(1, "import", daysAgo(1)),
    };
    expect(selectInputsToPropose({ framework: "rice", inputs, rule, latestEvidenceAt: null })).toEqual([]);
  });

  it("proposes import and AI values past the age limit", () => {
    const inputs = { reach: input(100, "import", daysAgo(91)), impact: input(2, "ai", daysAgo(200)) };
    const names = selectInputsToPropose({ framework: "rice", inputs, rule, latestEvidenceAt: null });
    expect(names).toEqual(["reach", "impact", "confidence", "effort"]);
  });

  it("proposes values older than the newest evidence", () => {
    const inputs = { ice_impact: input(5, "import", daysAgo(3)), ice_confidence: input(5, "pm", daysAgo(30)) };
    const names = selectInputsToPropose({ framework: "ice", inputs, rule, latestEvidenceAt: daysAgo(1) });
    expect(names).toEqual(["ice_impact", "ice_ease"]);
  });

  it("never ages values without an age limit", () => {
    const inputs = { job_size: input(5, "import", daysAgo(5000)) };
    const names = selectInputsToPropose({
      framework: "wsjf",
      inputs,
      rule: { staleAfterDays: null, now },
      latestEvidenceAt: null,
    });
    expect(names).not.toContain("job_size");
  });

  it("proposes values off the scale", () => {
    const inputs = { impact: input(4, "import", daysAgo(1)) };
    expect(selectInputsToPropose({ framework: "rice", inputs, rule, latestEvidenceAt: null })).toContain("impact");
  });
});

describe("planThemeBatches", () => {
  const item = (number: number, theme: string | null) => ({
    itemId: `id-${number}`,
    ref: `#${number}`,
    number,
    theme,
    propose: ["reach" as const],
  });

  it("groups by theme with unthemed items last", () => {
    const batches = planThemeBatches([item(3, null), item(2, "Export"), item(1, "Alerts")], 8);
    expect(batches.map((batch) => batch.label)).toEqual(["Alerts", "Export", "No theme"]);
    expect(batches[2]?.input.theme).toBeNull();
  });

  it("splits a theme over the item cap", () => {
    const batches = planThemeBatches([item(5, "A"), item(1, "A"), item(3, "A")], 2);
    expect(batches.map((batch) => batch.label)).toEqual(["A (1/2)", "A (2/2)"]);
    expect(batches[0]?.input.items.map((entry) => entry.ref)).toEqual(["#1", "#3"]);
    expect(batches[1]?.input).toMatchObject({ part: 2, parts: 2 });
  });

  it("plans nothing for no items", () => {
    expect(planThemeBatches([], 8)).toEqual([]);
  });
});

describe("describeLanguage", () => {
  it("names languages in themselves", () => {
    expect(describeLanguage("en")).toBe("English");
    expect(describeLanguage("fr")).toBe("français");
  });

  it("falls back to the tag", () => {
    expect(describeLanguage("not a tag")).toBe("not a tag");
  });
});

describe("describeInputsToPropose", () => {
  it("lists English units unchanged", () => {
    expect(describeInputsToPropose(["reach", "impact", "confidence", "effort"], "en")).toBe(
      [
        "- reach: a whole number from 0 to 1000000000 (people per quarter)",
        "- impact: one of 0.25, 0.5, 1, 2, 3",
        "- confidence: one of 50, 80, 100 (%)",
        "- effort: a number from 0.05 to 1000 (person-months)",
      ].join("\n"),
    );
  });

  it("lists French scales and units in French", () => {
    expect(describeInputsToPropose(["reach", "confidence", "effort"], "fr")).toBe(
      [
        "- reach: un nombre entier de 0 à 1000000000 (personnes par trimestre)",
        "- confidence: une des valeurs 50, 80, 100 (%)",
        "- effort: un nombre de 0.05 à 1000 (mois-personne)",
      ].join("\n"),
    );
  });

  it("lists English units for other languages", () => {
    expect(describeInputsToPropose(["effort"], "de")).toBe("- effort: a number from 0.05 to 1000 (person-months)");
  });
});

import { describe, expect, it } from "vitest";
import type { PrioritizationProposals } from "@/lib/tasks/schemas";
import type { PrioritizationBatchInput } from "./ai-inputs";
import { describeFilteredOutput, filterProposals, readPromptScope } from "./ai-validate";

const batch: PrioritizationBatchInput = {
  theme: "Export",
  part: 1,
  parts: 1,
  items: [
    { itemId: "uuid-1", ref: "A01", propose: ["reach", "effort"] },
    { itemId: "uuid-2", ref: "A02", propose: ["reach"] },
  ],
};

const variables = {
  backlog_items: [
    { id: "A01", missing: ["reach", "effort"] },
    { id: "A02", missing: ["reach"] },
  ],
  evidence: [
    { id: "AF001", text: "..." },
    { id: "AF002", text: "..." },
  ],
};

const proposal = (input: string, value: number | null, evidence: string[]) => ({
  input: input as "reach",
  value,
  rationale: "Because.",
  evidence_ids: evidence,
  insufficient_evidence: value === null,
});

describe("filterProposals", () => {
  const scope = readPromptScope(variables, batch);

  it("keeps proposals that match the prompt", () => {
    const output: PrioritizationProposals = {
      items: [{ item_id: "A01", proposals: [proposal("reach", 900, ["AF001"]), proposal("effort", null, [])] }],
    };
    const { proposals, report } = filterProposals(output, scope);

    expect(proposals).toEqual([
      { itemId: "uuid-1", input: "reach", value: 900, rationale: "Because.", evidenceIds: ["AF001"] },
      { itemId: "uuid-1", input: "effort", value: null, rationale: "Because.", evidenceIds: [] },
    ]);
    expect(report).toEqual({ unknownEvidenceIds: [], dropped: [] });
  });

  it("removes unknown ids beside known ones", () => {
    const output = { items: [{ item_id: "A02", proposals: [proposal("reach", 500, ["AF002", "AF404"])] }] };
    const { proposals, report } = filterProposals(output, scope);

    expect(proposals[0]?.evidenceIds).toEqual(["AF002"]);
    expect(report.unknownEvidenceIds).toEqual(["AF404"]);
  });

  it("drops a value whose citations are all unknown", () => {
    const output = { items: [{ item_id: "A02", proposals: [proposal("reach", 500, ["AF404"])] }] };
    const { proposals, report } = filterProposals(output, scope);

    expect(proposals).toEqual([]);
    expect(report.dropped).toEqual([{ ref: "A02", input: "reach", reason: "unknown_evidence_only" }]);
  });

  it("keeps a value that cites nothing", () => {
    const output = { items: [{ item_id: "A02", proposals: [proposal("reach", 500, [])] }] };
    expect(filterProposals(output, scope).proposals).toHaveLength(1);
  });

  it("drops unknown items, unrequested inputs and repeats", () => {
    const output = {
      items: [
        { item_id: "A99", proposals: [proposal("reach", 1, [])] },
        { item_id: "A02", proposals: [proposal("effort", 2, []), proposal("reach", 3, []), proposal("reach", 4, [])] },
      ],
    };
    const { proposals, report } = filterProposals(output, scope);

    expect(proposals.map((row) => row.value)).toEqual([3]);
    expect(report.dropped.map((drop) => drop.reason)).toEqual(["unknown_item", "not_requested", "duplicate"]);
  });

  it("stores insufficient evidence without a value", () => {
    const output = {
      items: [{ item_id: "A02", proposals: [{ ...proposal("reach", 7, []), insufficient_evidence: true }] }],
    };
    expect(filterProposals(output, scope).proposals[0]?.value).toBeNull();
  });
});

describe("describeFilteredOutput", () => {
  it("matches what the filter removed", () => {
    const output = {
      items: [
        { item_id: "A01", proposals: [proposal("reach", 900, ["AF001", "AF404"]), proposal("effort", 2, ["AF405"])] },
        { item_id: "A77", proposals: [proposal("reach", 1, [])] },
      ],
    };
    const { proposals, report } = filterProposals(output, readPromptScope(variables, batch));

    expect(describeFilteredOutput(output, batch, proposals)).toEqual(report);
  });
});

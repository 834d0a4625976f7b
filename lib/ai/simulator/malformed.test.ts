import { describe, expect, it } from "vitest";
import { prioritizationProposalsSchema } from "@/lib/tasks/schemas";
import { malformations } from "./malformed";
import { putProposalOffScale } from "./out-of-scale";

const answer = {
  items: [
    {
      item_id: "A01",
      proposals: [
        {
          input: "impact",
          value: null,
          rationale: "No evidence about A01.",
          evidence_ids: [],
          insufficient_evidence: true,
        },
        {
          input: "reach",
          value: 300,
          rationale: "Two reports of #12.",
          evidence_ids: ["AF1"],
          insufficient_evidence: false,
        },
      ],
    },
    { item_id: "A02", proposals: [] },
  ],
};
const json = JSON.stringify(answer);

describe("malformed_hash_comments", () => {
  const damaged = malformations.malformed_hash_comments(json);

  it("puts a comment line before each array element", () => {
    const commentLines = damaged.split("\n").filter((line) => line.startsWith("# "));

    // 2 items, 2 proposals of A01 and 1 evidence id; the empty arrays get none.
    expect(commentLines).toHaveLength(5);
  });

  it("keeps the value once the comment lines are removed", () => {
    const uncommented = damaged.replace(/^# .*$/gm, "");

    expect(() => JSON.parse(damaged)).toThrow();
    expect(JSON.parse(uncommented)).toEqual(answer);
  });

  it("leaves a hash inside a string alone", () => {
    expect(damaged).toContain('"Two reports of #12."');
  });
});

describe("malformed_unescaped_quote", () => {
  const damaged = malformations.malformed_unescaped_quote(json);

  it("quotes a word without escaping", () => {
    expect(damaged).toContain('"rationale":"Customers call it "urgent", No evidence about A01."');
  });

  it("makes the text invalid JSON", () => {
    expect(() => JSON.parse(damaged)).toThrow();
  });
});

describe("invalid_value", () => {
  it("moves the first proposal just past its scale", () => {
    const changed = JSON.parse(putProposalOffScale(json));
    const first = changed.items[0].proposals[0];

    expect(first.input).toBe("impact");
    expect(first.value).toBe(4);
    expect(first.insufficient_evidence).toBe(false);
    expect(changed.items[0].proposals[1]).toEqual(answer.items[0]?.proposals[1]);
  });

  it("fails validation only on that value", () => {
    const result = prioritizationProposalsSchema.safeParse(JSON.parse(putProposalOffScale(json)));

    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join("."))).toEqual(["items.0.proposals.0.value"]);
  });

  it("goes past the top of a range scale", () => {
    const reachOnly = JSON.stringify({ items: [{ item_id: "A01", proposals: [answer.items[0]?.proposals[1]] }] });

    expect(JSON.parse(putProposalOffScale(reachOnly)).items[0].proposals[0].value).toBe(1_000_000_001);
  });

  it("leaves an answer without proposals unchanged", () => {
    const empty = JSON.stringify({ items: [{ item_id: "A02", proposals: [] }] });

    expect(putProposalOffScale(empty)).toBe(empty);
    expect(putProposalOffScale('{"summary":"x"}')).toBe('{"summary":"x"}');
    expect(putProposalOffScale("not json")).toBe("not json");
  });
});

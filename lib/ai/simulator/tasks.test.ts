import { describe, expect, it } from "vitest";
import type { InputName } from "@/lib/prioritization/scales";
import { extractDataBlocks } from "./blocks";
import type { Language } from "./task-phrases";
import { generateProposals } from "./tasks";

/** Generate the simulated rationale for one input of an item that cites one piece of evidence. */
function rationaleFor(input: InputName, language: Language): string {
  const prompt = [
    "<backlog_items>",
    JSON.stringify([{ id: "A01", title: "Export PDF", missing: [input], evidence_ids: ["AF001"] }]),
    "</backlog_items>",
    "<evidence>",
    JSON.stringify([{ id: "AF001", text: "PDF export is too slow" }]),
    "</evidence>",
  ].join("\n");
  const proposal = generateProposals(extractDataBlocks(prompt), 1, language).items[0]?.proposals[0];
  if (!proposal) throw new Error(`no ${input} proposal`);
  return proposal.rationale;
}

describe("generateProposals units", () => {
  it("writes the reach unit in French", () => {
    const rationale = rationaleFor("reach", "fr");

    expect(rationale).toMatch(/donc reach vaut \d+ personnes par trimestre\.$/);
    expect(rationale).not.toContain("people per quarter");
  });

  it("writes the effort unit in French", () => {
    const rationale = rationaleFor("effort", "fr");

    expect(rationale).toMatch(/donc effort vaut [\d.]+ mois-personne\.$/);
    expect(rationale).not.toContain("person-months");
  });

  it("separates the French percent sign by a space", () => {
    expect(rationaleFor("confidence", "fr")).toMatch(/donc confidence vaut 50 %\.$/);
  });

  it("keeps the English units", () => {
    expect(rationaleFor("reach", "en")).toMatch(/so reach is \d+ people per quarter\.$/);
    expect(rationaleFor("effort", "en")).toMatch(/so effort is [\d.]+ person-months\.$/);
  });

  it("writes no unit for unitless inputs", () => {
    expect(rationaleFor("impact", "fr")).toMatch(/donc impact vaut [\d.]+\.$/);
  });
});

import { describe, expect, it } from "vitest";
import type { InputName } from "@/lib/prioritization/scales";
import { extractDataBlocks } from "./blocks";
import type { Language } from "./task-phrases";
import { generateProposals } from "./tasks";

/** Generate the simulated rationale for one input of an item that cites the given evidence ids. */
function rationaleFor(input: InputName, language: Language, evidenceIds = ["AF001"]): string {
  const prompt = [
    "<backlog_items>",
    JSON.stringify([{ id: "A01", title: "Export PDF", missing: [input], evidence_ids: evidenceIds }]),
    "</backlog_items>",
    "<evidence>",
    JSON.stringify(evidenceIds.map((id) => ({ id, text: "PDF export is too slow" }))),
    "</evidence>",
  ].join("\n");
  const proposal = generateProposals(extractDataBlocks(prompt), 1, language).items[0]?.proposals[0];
  if (!proposal) throw new Error(`no ${input} proposal`);
  return proposal.rationale;
}

describe("generateProposals units", () => {
  it("writes the reach unit in French", () => {
    const rationale = rationaleFor("reach", "fr");

    expect(rationale).toMatch(/donc portée vaut \d+ personnes? par trimestre\.$/);
    expect(rationale).not.toContain("people per quarter");
  });

  it("writes the effort unit in French", () => {
    const rationale = rationaleFor("effort", "fr");

    expect(rationale).toMatch(/donc effort vaut [\d,]+ mois-personne\.$/);
    expect(rationale).not.toContain("person-months");
  });

  it("separates the French percent sign by a space", () => {
    expect(rationaleFor("confidence", "fr")).toMatch(/donc confiance vaut 50 %\.$/);
  });

  it("keeps the English units", () => {
    expect(rationaleFor("reach", "en")).toMatch(/so reach is \d+ (people|person) per quarter\.$/);
    expect(rationaleFor("effort", "en")).toMatch(/so effort is [\d.]+ person-months?\.$/);
  });

  it("writes no unit for unitless inputs", () => {
    expect(rationaleFor("impact", "fr")).toMatch(/donc impact vaut [\d,]+\.$/);
  });
});

describe("generateProposals wording", () => {
  const five = ["AF001", "AF002", "AF003", "AF004", "AF005"];

  it("agrees the verb with one evidence item", () => {
    expect(rationaleFor("reach", "en")).toContain("1 evidence item (AF001) shows how many");
    expect(rationaleFor("reach", "fr")).toContain("1 élément de preuve (AF001) montre combien");
  });

  it("counts the ids it does not list", () => {
    expect(rationaleFor("reach", "en", five)).toContain("5 evidence items (AF001, AF002, AF003 and 2 more) show");
    expect(rationaleFor("reach", "fr", five)).toContain("(AF001, AF002, AF003 et 2 autres) montrent");
  });

  it("names inputs in the prompt's language", () => {
    expect(rationaleFor("job_size", "en")).toContain("so job size is");
    expect(rationaleFor("ice_impact", "fr")).toContain("donc impact ICE vaut");
  });
});

import { describe, expect, it } from "vitest";
import { formatEvidenceLabel } from "./evidence-label";

const uuid = "3f2a9c1b-0d4e-4f6a-8b7c-9d0e1f2a3b4c";

describe("formatEvidenceLabel", () => {
  it("keeps an external id", () => {
    expect(formatEvidenceLabel("AF012", { documentId: uuid, title: "Export feedback" })).toBe("AF012");
  });

  it("shows the title of a document cited by uuid", () => {
    expect(formatEvidenceLabel(uuid, { documentId: uuid, title: "Call notes with Acme" })).toBe("Call notes with Acme");
  });

  it("cuts a long title", () => {
    const label = formatEvidenceLabel(uuid, { documentId: uuid, title: "A".repeat(60) });

    expect(label).toBe(`${"A".repeat(39)}…`);
  });

  it("shortens the uuid of a deleted document", () => {
    expect(formatEvidenceLabel(uuid)).toBe("3f2a9c1b…");
  });
});

import { describe, expect, it } from "vitest";
import { countCharacters, truncateText } from "./text";

describe("countCharacters", () => {
  it("counts an emoji once", () => {
    expect(countCharacters("😀😀a")).toBe(3);
  });
});

describe("truncateText", () => {
  it("keeps text within the limit", () => {
    expect(truncateText("Export", 6)).toBe("Export");
  });

  it("cuts at the limit with an ellipsis", () => {
    expect(truncateText("Export to PDF", 8)).toBe("Export…");
  });
});

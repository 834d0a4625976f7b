import { describe, expect, it } from "vitest";
import { titleFromQuestion } from "./conversations";

describe("titleFromQuestion", () => {
  it("drops direction controls", () => {
    expect(titleFromQuestion("Why is A01 \u202eTXT.exe first?")).toBe("Why is A01 TXT.exe first?");
  });

  it("cuts a long question at a word", () => {
    const title = titleFromQuestion(`${"word ".repeat(30)}end`);

    expect(title.endsWith("…")).toBe(true);
    expect(title.length).toBeLessThanOrEqual(81);
  });
});

import { describe, expect, it } from "vitest";
import { type EditorContent, lintEditorContent, sameContent } from "./lint";

const parameters: EditorContent["parameters"] = { preset: "analytical", overrides: {} };
const english = { systemText: "Rank with $framework.", userTemplate: "<evidence>\n$evidence\n</evidence>", parameters };
const declared = ["framework", "evidence"];

describe("lintEditorContent", () => {
  it("finds nothing in a complete text", () => {
    expect(lintEditorContent(english, declared)).toEqual([]);
  });

  it("names the other language that still uses a dropped variable", () => {
    const french = { ...english, userTemplate: "Aucune preuve." };
    const [issue] = lintEditorContent(french, declared, { language: "en", content: english });

    expect(issue?.code).toBe("unused_variable");
    expect(issue?.variable).toBe("evidence");
    expect(issue?.usedIn).toBe("en");
  });

  it("leaves usedIn unset when neither language uses the variable", () => {
    const french = { ...english, userTemplate: "Aucune preuve." };
    const [issue] = lintEditorContent(french, declared, { language: "en", content: french });

    expect(issue?.usedIn).toBeUndefined();
  });

  it("reports an invalid dollar with its line and column", () => {
    const [issue] = lintEditorContent({ ...english, userTemplate: "$evidence\ncosts $ 5" }, declared);

    expect(issue?.code).toBe("invalid_placeholder");
    expect(issue?.line).toBe(2);
    expect(issue?.column).toBe(7);
  });
});

describe("sameContent", () => {
  it("ignores the order and absence of overrides", () => {
    const left = {
      ...english,
      parameters: { preset: "analytical" as const, overrides: { temperature: 0.3, topP: 0.5 } },
    };
    const right = {
      ...english,
      parameters: { preset: "analytical" as const, overrides: { topP: 0.5, temperature: 0.3 } },
    };

    expect(sameContent(left, right)).toBe(true);
  });

  it("sees a changed template", () => {
    expect(sameContent(english, { ...english, userTemplate: `${english.userTemplate} ` })).toBe(false);
  });
});

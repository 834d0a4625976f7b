import { describe, expect, it } from "vitest";
import { tokenizeTemplate } from "./placeholders";

const declared = new Set(["framework", "evidence"]);

describe("tokenizeTemplate", () => {
  it("marks declared, unknown and invalid placeholders", () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a Python-style placeholder, not a JavaScript one.
    const tokens = tokenizeTemplate("Use $framework with ${evidence}, $unknown and $ 5.", declared);

    expect(tokens.filter((token) => token.kind !== "text").map((token) => [token.text, token.kind])).toEqual([
      ["$framework", "declared"],
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a Python-style placeholder, not a JavaScript one.
      ["${evidence}", "declared"],
      ["$unknown", "undeclared"],
      ["$", "invalid"],
    ]);
  });

  it("keeps every character, escaped dollars included", () => {
    const text = 'Costs $$5 for $framework.\n{"json": true} ${evidence';

    expect(
      tokenizeTemplate(text, declared)
        .map((token) => token.text)
        .join(""),
    ).toBe(text);
  });

  it("treats an escaped dollar as text", () => {
    expect(tokenizeTemplate("$$framework", declared)).toEqual([{ text: "$$framework", kind: "text" }]);
  });

  it("treats an unclosed brace as an invalid dollar", () => {
    expect(tokenizeTemplate("${evidence", declared)[0]).toEqual({ text: "$", kind: "invalid" });
  });
});

import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import type { PromptContent } from "./manifest";
import { assertValidPromptContent, findPromptIssues } from "./validation";

const parameters = { preset: "analytical", overrides: {} } as const;

function content(systemText: string, userTemplate: string): PromptContent {
  return { systemText, userTemplate, parameters };
}

describe("findPromptIssues", () => {
  it("accepts texts that use exactly the declared variables", () => {
    expect(
      findPromptIssues(content("Theme $theme", "<feedback>\n$feedback\n</feedback>"), ["theme", "feedback"]),
    ).toEqual([]);
  });

  it("rejects an empty user template", () => {
    const issues = findPromptIssues(content("System", "  \n"), []);

    expect(issues.map((issue) => [issue.field, issue.code])).toEqual([["userTemplate", "empty"]]);
  });

  it("names an undeclared variable", () => {
    const [issue] = findPromptIssues(content("System $tone", "User"), []);

    expect(issue?.code).toBe("undeclared_variable");
    expect(issue?.field).toBe("systemText");
    expect(issue?.variable).toBe("tone");
    expect(issue?.message).toContain("$tone");
  });

  it("names a declared variable the language forgets", () => {
    const [issue] = findPromptIssues(content("Système", "Retours : $feedback"), ["feedback", "items"]);

    expect(issue?.code).toBe("unused_variable");
    expect(issue?.variable).toBe("items");
    expect(issue?.message).toContain("$items");
  });

  it("gives line and column of an invalid placeholder", () => {
    const [issue] = findPromptIssues(content("System", "first line\ncosts $5 each"), []);

    expect(issue?.code).toBe("invalid_placeholder");
    expect(issue?.line).toBe(2);
    expect(issue?.column).toBe(7);
    expect(issue?.message).toContain("line 2, column 7");
    expect(issue?.message).toContain('"$5 each"');
  });

  it("rejects out-of-range parameters", () => {
    const issues = findPromptIssues(
      { systemText: "S", userTemplate: "U", parameters: { preset: "creative", overrides: { topP: 2 } } },
      [],
    );

    expect(issues.map((issue) => issue.code)).toEqual(["invalid_parameters"]);
  });

  it("rejects a text over the length limit", () => {
    const issues = findPromptIssues(content("S".repeat(50_001), "U"), []);

    expect(issues.map((issue) => issue.code)).toEqual(["too_long"]);
  });
});

describe("assertValidPromptContent", () => {
  it("throws a 400 naming prompt, language and variable", () => {
    let caught: unknown;
    try {
      assertValidPromptContent(content("Système", "Retours"), {
        key: "generator",
        language: "fr",
        declaredVariables: ["items"],
      });
    } catch (error) {
      caught = error;
    }

    expect(caught).toBeInstanceOf(AppError);
    expect((caught as AppError).status).toBe(400);
    expect((caught as AppError).message).toContain("fr version of prompt generator");
    expect((caught as AppError).message).toContain("$items");
  });
});

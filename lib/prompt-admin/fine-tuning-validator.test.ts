import { describe, expect, it } from "vitest";
import { feedbackSummarySchema } from "@/lib/tasks/schemas";
import { type FineTuningValidationOptions, validateFineTuningFile } from "./fine-tuning-validator";

const options: FineTuningValidationOptions = { schema: feedbackSummarySchema, maxExampleTokens: 65_536 };

const answer = {
  theme: "Export",
  summary: "Customers want one-click PDF exports of dashboards.",
  asks: [{ text: "Export a dashboard as PDF", evidence_ids: ["AF001"] }],
  snippet_count: 2,
  affected: "Finance teams",
};

function example(overrides: { system?: string; user?: string; assistant?: string } = {}) {
  return JSON.stringify({
    messages: [
      { role: "system", content: overrides.system ?? "You summarise feedback as JSON." },
      { role: "user", content: overrides.user ?? "<feedback>\n[]\n</feedback>" },
      { role: "assistant", content: overrides.assistant ?? JSON.stringify(answer) },
    ],
  });
}

function fileOf(lines: string[]): string {
  return `${lines.join("\n")}\n`;
}

const goodFile = fileOf(Array.from({ length: 12 }, () => example()));

describe("validateFineTuningFile on a good file", () => {
  const result = validateFineTuningFile(goodFile, options);

  it("accepts it", () => {
    expect(result.ok).toBe(true);
  });

  it("counts every example", () => {
    expect(result.exampleCount).toBe(12);
  });

  it("reports no errors or warnings", () => {
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
  });

  it("counts tokens per example and in total", () => {
    expect(result.examples).toHaveLength(12);
    expect(result.examples[0]?.tokens).toBeGreaterThan(20);
    expect(result.totalTokens).toBe(result.examples.reduce((sum, entry) => sum + entry.tokens, 0));
    expect(result.largestExampleTokens).toBe(result.examples[0]?.tokens);
  });

  it("accepts Windows line endings", () => {
    expect(validateFineTuningFile(goodFile.replaceAll("\n", "\r\n"), options).ok).toBe(true);
  });

  it("accepts examples without a system message", () => {
    const line = JSON.stringify({
      messages: [
        { role: "user", content: "Hello" },
        { role: "assistant", content: JSON.stringify(answer) },
      ],
    });

    expect(validateFineTuningFile(line, options).errors).toEqual([]);
  });

  it("accepts free text answers when the prompt has no schema", () => {
    const line = example({ assistant: "Because A02 reaches more people [1]." });

    expect(validateFineTuningFile(line, { ...options, schema: null }).errors).toEqual([]);
  });
});

describe("validateFineTuningFile on bad files", () => {
  function errorsOf(lines: string[], overrides: Partial<FineTuningValidationOptions> = {}) {
    return validateFineTuningFile(fileOf(lines), { ...options, ...overrides }).errors;
  }

  it("names a line that is not JSON", () => {
    const errors = errorsOf([example(), "{not json", example()]);

    expect(errors).toHaveLength(1);
    expect(errors[0]?.line).toBe(2);
    expect(errors[0]?.code).toBe("invalid_json");
  });

  it("names an empty line in the middle", () => {
    const errors = errorsOf([example(), "", example()]);

    expect(errors.map((error) => [error.line, error.code])).toEqual([[2, "empty_line"]]);
  });

  it("rejects a line without messages", () => {
    expect(errorsOf([JSON.stringify({ prompt: "x", completion: "y" })])[0]?.code).toBe("missing_messages");
  });

  it("rejects a JSON array line", () => {
    expect(errorsOf(["[1, 2]"])[0]?.code).toBe("not_an_object");
  });

  it("rejects an unknown role", () => {
    const line = example().replace('"role":"user"', '"role":"tool"');
    const [error] = errorsOf([line]);

    expect(error?.code).toBe("invalid_role");
    expect(error?.messageIndex).toBe(1);
  });

  it("rejects empty content", () => {
    const [error] = errorsOf([example({ user: "   " })]);

    expect(error?.code).toBe("empty_content");
    expect(error?.line).toBe(1);
  });

  it("rejects roles out of order", () => {
    const line = JSON.stringify({
      messages: [
        { role: "user", content: "A" },
        { role: "user", content: "B" },
        { role: "assistant", content: JSON.stringify(answer) },
      ],
    });
    const [error] = errorsOf([line]);

    expect(error?.code).toBe("role_order");
    expect(error?.messageIndex).toBe(1);
  });

  it("rejects a system message after the first position", () => {
    const line = JSON.stringify({
      messages: [
        { role: "user", content: "A" },
        { role: "system", content: "B" },
      ],
    });

    expect(errorsOf([line])[0]?.code).toBe("role_order");
  });

  it("rejects an example that does not end with the assistant", () => {
    const line = JSON.stringify({
      messages: [
        { role: "system", content: "A" },
        { role: "user", content: "B" },
      ],
    });

    expect(errorsOf([line])[0]?.code).toBe("no_assistant_last");
  });

  it("rejects an assistant answer that is not JSON", () => {
    expect(errorsOf([example({ assistant: "Sure! Here is the summary." })])[0]?.code).toBe("assistant_not_json");
  });

  it("rejects an assistant answer outside the schema, naming the field", () => {
    const [error] = errorsOf([example({ assistant: JSON.stringify({ ...answer, snippet_count: -1 }) })]);

    expect(error?.code).toBe("assistant_schema");
    expect(error?.message).toContain("snippet_count");
  });

  it("rejects an example over the token limit", () => {
    const [error] = errorsOf([example({ user: "word ".repeat(500) })], { maxExampleTokens: 200 });

    expect(error?.code).toBe("example_too_long");
    expect(error?.line).toBe(1);
  });

  it("rejects a file over the total token limit", () => {
    const result = validateFineTuningFile(goodFile, { ...options, maxTotalTokens: 100 });

    expect(result.ok).toBe(false);
    expect(result.errors.at(-1)?.code).toBe("file_too_long");
    expect(result.errors.at(-1)?.line).toBeNull();
  });

  it("rejects an empty file", () => {
    expect(validateFineTuningFile("", options).errors.map((error) => error.code)).toEqual(["empty_file"]);
  });

  it("warns below ten examples without failing", () => {
    const result = validateFineTuningFile(fileOf([example(), example()]), options);

    expect(result.ok).toBe(true);
    expect(result.warnings[0]?.code).toBe("too_few_examples");
  });

  it("lists each bad line once, with the right numbers", () => {
    const errors = errorsOf([example(), "oops", example({ user: "" }), example(), "[]"]);

    expect(errors.map((error) => error.line)).toEqual([2, 3, 5]);
  });
});

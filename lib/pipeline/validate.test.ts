import { describe, expect, it } from "vitest";
import { z } from "zod";
import { prioritizationProposalsSchema } from "@/lib/tasks/schemas";
import { formatIssues, validateOutput } from "./validate";

const itemSchema = z.object({
  items: z.array(
    z.object({
      impact: z.union([z.literal(0.25), z.literal(0.5), z.literal(1), z.literal(2), z.literal(3)]),
      kind: z.enum(["bug", "feature"]),
      size: z.number().int().min(1).max(5),
      title: z.string().min(3),
      note: z.string().optional(),
    }),
  ),
});

const validItem = { impact: 1, kind: "bug", size: 2, title: "Export" };

function issuesOf(value: unknown, schema: z.ZodType = itemSchema): string[] {
  const result = validateOutput(schema, value);
  if (result.ok) throw new Error("expected validation to fail");
  return result.issues.map((issue) => `${issue.path}: ${issue.message}`);
}

describe("validateOutput", () => {
  it("accepts a valid value", () => {
    const result = validateOutput(itemSchema, { items: [validItem] });

    expect(result.ok).toBe(true);
  });

  it("names a value outside a literal set with its path", () => {
    const items = [validItem, validItem, validItem, { ...validItem, impact: 4 }];

    expect(issuesOf({ items })).toEqual(["items[3].impact: expected one of 0.25, 0.5, 1, 2, 3, got 4"]);
  });

  it("names an enum value outside the set", () => {
    expect(issuesOf({ items: [{ ...validItem, kind: "chore" }] })).toEqual([
      'items[0].kind: expected one of "bug", "feature", got "chore"',
    ]);
  });

  it("names a missing field", () => {
    const { title: _title, ...withoutTitle } = validItem;

    expect(issuesOf({ items: [withoutTitle] })).toEqual(["items[0].title: missing, expected a string"]);
  });

  it("names a wrong type", () => {
    expect(issuesOf({ items: [{ ...validItem, size: "big" }] })).toEqual([
      'items[0].size: expected a number, got "big"',
    ]);
  });

  it("names a range error with its bound", () => {
    expect(issuesOf({ items: [{ ...validItem, size: 9 }] })).toEqual(["items[0].size: expected at most 5, got 9"]);
  });

  it("names a short string with its length", () => {
    expect(issuesOf({ items: [{ ...validItem, title: "ab" }] })).toEqual([
      "items[0].title: expected at least 3 characters, got 2 characters",
    ]);
  });

  it("names a fraction where a whole number is expected", () => {
    expect(issuesOf({ items: [{ ...validItem, size: 2.5 }] })).toEqual([
      "items[0].size: expected a whole number, got 2.5",
    ]);
  });

  it("rejects fields the schema does not declare", () => {
    expect(issuesOf({ items: [{ ...validItem, later: "left" }] })).toEqual(["items[0].later: unexpected field"]);
  });

  it("treats null in an optional field as absent", () => {
    const result = validateOutput(itemSchema, { items: [{ ...validItem, note: null }] });

    expect(result.ok).toBe(true);
    expect((result as { data: { items: object[] } }).data.items[0]).not.toHaveProperty("note");
  });

  it("keeps a custom refinement message", () => {
    const value = {
      items: [
        {
          item_id: "A01",
          proposals: [
            { input: "impact", value: 4, rationale: "Many users.", evidence_ids: [], insufficient_evidence: false },
          ],
        },
      ],
    };

    expect(issuesOf(value, prioritizationProposalsSchema)).toEqual([
      "items[0].proposals[0].value: expected one of 0.25, 0.5, 1, 2, 3 for impact, got 4",
    ]);
  });

  it("formats issues one per line", () => {
    const text = formatIssues([
      { path: "a", message: "missing, expected a string" },
      { path: "b[0]", message: "unexpected field" },
    ]);

    expect(text).toBe("a: missing, expected a string\nb[0]: unexpected field");
  });
});

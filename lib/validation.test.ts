import { describe, expect, it } from "vitest";
import { z } from "zod";
import { findJsonValueProblem, formatZodIssues, MAX_JSON_DEPTH, MAX_LISTED_UNKNOWN_KEYS } from "./validation";

describe("formatZodIssues", () => {
  it("says Invalid input once", () => {
    const result = z.object({ workspaceId: z.string() }).safeParse({});
    if (result.success) throw new Error("the empty object passed");

    const { message, fields } = formatZodIssues(result.error);

    expect(message).toBe("Invalid input: workspaceId: expected string, received undefined");
    expect(fields).toEqual([{ path: "workspaceId", message: "expected string, received undefined" }]);
  });

  it("keeps custom messages whole", () => {
    const result = z.object({ title: z.string().min(1, "Title is empty; type a title.") }).safeParse({ title: "" });
    if (result.success) throw new Error("the empty title passed");

    expect(formatZodIssues(result.error).message).toBe("Invalid input: title: Title is empty; type a title.");
  });
});

describe("formatZodIssues unknown keys", () => {
  const strict = z.strictObject({ title: z.string() });

  it("lists the first keys and counts the rest", () => {
    const body: Record<string, unknown> = { title: "ok" };
    for (let index = 0; index < 200_000; index++) body[`extra${index}`] = 1;
    const result = strict.safeParse(body);
    if (result.success) throw new Error("the unknown keys passed");

    const { message, fields } = formatZodIssues(result.error);

    expect(fields).toHaveLength(MAX_LISTED_UNKNOWN_KEYS);
    expect(fields[0]?.path).toBe("extra0");
    expect(message).toContain("extra19");
    expect(message).not.toContain("extra20");
    expect(message).toMatch(/and 199980 more unknown fields$/);
    expect(message.length).toBeLessThan(5_000);
  });

  it("lists every key up to the cap", () => {
    const result = strict.safeParse({ title: "ok", a: 1, b: 2 });
    if (result.success) throw new Error("the unknown keys passed");

    const { message, fields } = formatZodIssues(result.error);

    expect(fields.map((field) => field.path)).toEqual(["a", "b"]);
    expect(message).not.toContain("more unknown fields");
  });

  it("shortens a very long key", () => {
    const result = strict.safeParse({ title: "ok", ["k".repeat(1_000_000)]: 1 });
    if (result.success) throw new Error("the unknown key passed");

    const { message, fields } = formatZodIssues(result.error);

    expect(fields[0]?.path.length).toBeLessThanOrEqual(100);
    expect(message.length).toBeLessThan(1_000);
  });
});

describe("findJsonValueProblem", () => {
  it("walks 200,000 nested arrays without a stack overflow", () => {
    const deep = JSON.parse(`{"title":"deep","links":${"[".repeat(200_000)}${"]".repeat(200_000)}}`);

    expect(findJsonValueProblem(deep)).toBeUndefined();
    expect(findJsonValueProblem(deep, MAX_JSON_DEPTH)).toEqual({ path: "links", problem: "nested_too_deep" });
  });

  it("accepts nesting up to the limit", () => {
    const atLimit = JSON.parse(`${"[".repeat(MAX_JSON_DEPTH)}${"]".repeat(MAX_JSON_DEPTH)}`);
    const overLimit = JSON.parse(`${"[".repeat(MAX_JSON_DEPTH + 1)}${"]".repeat(MAX_JSON_DEPTH + 1)}`);

    expect(findJsonValueProblem(atLimit, MAX_JSON_DEPTH)).toBeUndefined();
    expect(findJsonValueProblem(overLimit, MAX_JSON_DEPTH)).toEqual({ path: "[0]", problem: "nested_too_deep" });
  });

  it("finds unstorable text deep in a value", () => {
    const deep = JSON.parse(`{"items":[{"title":"ok"},{"title":"a\\u0000b"}],"tail":"x\\ud800"}`);
    const deepArrays = JSON.parse(`{"links":${"[".repeat(100_000)}"\\ud800"${"]".repeat(100_000)}}`);

    expect(findJsonValueProblem(deep)).toEqual({ path: "items[1].title", problem: "unstorable_text" });
    expect(findJsonValueProblem(deepArrays)?.problem).toBe("unstorable_text");
    expect(findJsonValueProblem(JSON.parse('{"a":{"b\\u0000":1}}'))).toEqual({ path: "a", problem: "unstorable_text" });
  });
});

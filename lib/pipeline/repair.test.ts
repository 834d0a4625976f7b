import { describe, expect, it } from "vitest";
import { parseModelOutput } from "./repair";

function parseOk(response: string) {
  const parsed = parseModelOutput(response);
  if (!parsed.ok) throw new Error(`expected a parse, got ${parsed.reason}: ${parsed.message}`);
  return parsed;
}

function parseFailure(response: string) {
  const parsed = parseModelOutput(response);
  if (parsed.ok) throw new Error(`expected a failure, got ${JSON.stringify(parsed.value)}`);
  return parsed;
}

function parsedValue(response: string): unknown {
  return parseOk(response).value;
}

describe("parseModelOutput", () => {
  it("parses plain JSON without recording a repair", () => {
    const parsed = parseOk('{"a": 1}');

    expect(parsed.repaired).toBe(false);
    expect(parsed.repairs).toEqual([]);
  });

  it("takes the value out of a json fence", () => {
    const parsed = parseOk('```json\n{"a": [1, 2]}\n```');

    expect(parsed.value).toEqual({ a: [1, 2] });
    expect(parsed.repairs).toEqual(["fence"]);
  });

  it("records prose before a fence", () => {
    const parsed = parseOk('Here is the JSON:\n```json\n{"a": 1}\n```\nHope this helps.');

    expect(parsed.value).toEqual({ a: 1 });
    expect(parsed.repairs).toEqual(["fence", "prose"]);
  });

  it("takes the value out of prose without a fence", () => {
    const parsed = parseOk('Sure! {"a": {"b": "}"}} That is all.');

    expect(parsed.value).toEqual({ a: { b: "}" } });
    expect(parsed.repairs).toEqual(["prose"]);
  });

  it("skips a bracket in prose that opens no JSON", () => {
    expect(parsedValue('Answer [final]: {"a": 1}')).toEqual({ a: 1 });
  });

  it("prefers a cut-off value over a bracketed word before it", () => {
    const parsed = parseFailure('Result [draft]: {"items": [1, 2');

    expect(parsed.reason).toBe("truncated");
  });

  it("removes trailing commas in objects and arrays", () => {
    const parsed = parseOk('{"a": [1, 2,], "b": 3,}');

    expect(parsed.value).toEqual({ a: [1, 2], b: 3 });
    expect(parsed.repairs).toEqual(["trailing_commas"]);
  });

  it("removes slash and hash comments between elements", () => {
    const parsed = parseOk("[1, // first\n 2, # second\n 3 # third\n]");

    expect(parsed.value).toEqual([1, 2, 3]);
    expect(parsed.repairs).toContain("comments");
  });

  it("keeps a hash inside a string", () => {
    expect(parsedValue('{"tag": "#12", "note": "C# // not a comment"}')).toEqual({
      tag: "#12",
      note: "C# // not a comment",
    });
  });

  it("escapes a raw newline inside a fenced string", () => {
    const parsed = parseOk('```json\n{"rationale": "first line\nsecond line"}\n```');

    expect(parsed.value).toEqual({ rationale: "first line\nsecond line" });
    expect(parsed.repairs).toEqual(["fence", "raw_newlines"]);
  });

  it("fixes single quotes, unquoted keys and Python literals", () => {
    const parsed = parseOk("{'a': True, b: None, 'c': False}");

    expect(parsed.value).toEqual({ a: true, b: null, c: false });
    expect(parsed.repairs).toEqual(expect.arrayContaining(["single_quotes", "unquoted_keys", "python_literals"]));
  });

  it("fixes single-quoted strings holding double quotes", () => {
    const parsed = parseOk("{'rationale': 'Users said \\\"fast\\\"', 'value': 2}");

    expect(parsed.value).toEqual({ rationale: 'Users said "fast"', value: 2 });
    expect(parsed.repairs).toEqual(["single_quotes"]);
  });

  it("fixes curly quotes", () => {
    expect(parsedValue("{\u201ca\u201d: \u201cx\u201d}")).toEqual({ a: "x" });
  });

  it("rejects an unescaped quote before a comma instead of inventing keys", () => {
    const parsed = parseFailure('{"rationale": "He said "yes", then left", "value": 1}');

    expect(parsed.reason).toBe("unparseable");
  });

  it("reports a value cut off mid-array as truncated", () => {
    const parsed = parseFailure('{"items": [{"a": 1}, {"a": 2');

    expect(parsed.reason).toBe("truncated");
    expect(parsed.message).toBe("the JSON text ends with 3 bracket(s) still open");
  });

  it("reports a value cut off inside a string as truncated", () => {
    const parsed = parseFailure('```json\n{"items": [{"rationale": "Because the');

    expect(parsed.reason).toBe("truncated");
  });

  it("rejects an empty response", () => {
    expect(parseModelOutput("  \n").ok).toBe(false);
  });

  it("rejects a response without JSON", () => {
    const parsed = parseFailure("I cannot help with that.");

    expect(parsed.reason).toBe("no_json");
  });
});

// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${name}` is template syntax under test, not a JavaScript template.
import { describe, expect, it } from "vitest";
import {
  findInvalidPlaceholders,
  formatTemplateValue,
  parseTemplate,
  safeSubstitute,
  substitute,
  TemplateError,
  templateVariables,
} from "./template";

// Expected outputs follow the documented behaviour of Python's string.Template and were checked
// against CPython 3.11.

function catchTemplateError(action: () => unknown): TemplateError {
  try {
    action();
  } catch (error) {
    if (error instanceof TemplateError) return error;
    throw error;
  }
  throw new Error("expected a TemplateError");
}

describe("substitute", () => {
  it.each([
    ["value with $& and $$ stays literal", "Total: $amount", { amount: "cost $& and $$5" }, "Total: cost $& and $$5"],
    ["JSON braces stay untouched", '{"name": "$who"}', { who: "Ada" }, '{"name": "Ada"}'],
    ["JSON example without placeholders", '{"items": [{"id": "A01"}]}', {}, '{"items": [{"id": "A01"}]}'],
    ["$$ renders one $", "Price: $$10", {}, "Price: $10"],
    ["trailing $$", "trailing $$", {}, "trailing $"],
    ["$$$name is $ then a value", "$$$x", { x: "1" }, "$1"],
    ["$$name is literal text", "$$x", { x: "1" }, "$x"],
    ["braced name before letters", "${x}y", { x: "X" }, "Xy"],
    ["braced and plain forms together", "$noun ${noun}ification", { noun: "fort" }, "fort fortification"],
    ["adjacent placeholders", "$x$y", { x: "1", y: "2" }, "12"],
    ["adjacent braced placeholders", "${x}${y}", { x: "1", y: "2" }, "12"],
    ["name ends at a dot", "$x.y", { x: "v" }, "v.y"],
    ["underscores and digits in names", "$_private $A1b2", { _private: "p", A1b2: "q" }, "p q"],
    ["name ends at a non-ASCII letter", "Résumé: $café", { caf: "C" }, "Résumé: Cé"],
    ["non-ASCII literal text", "Équipe « $team » — 日本", { team: "Produit" }, "Équipe « Produit » — 日本"],
    ["value containing a placeholder is not expanded", "$a", { a: "${b} and $b", b: "no" }, "${b} and $b"],
    ["value containing a replacement pattern", "[$a]", { a: "$' $` $1" }, "[$' $` $1]"],
    ["extra values are ignored", "only $a", { a: "1", b: "2" }, "only 1"],
  ])("%s", (_case, template, values, expected) => {
    expect(substitute(template, values)).toBe(expected);
  });

  it("missing variable names the variable", () => {
    const error = catchTemplateError(() => substitute("line1\n  $missing here", {}));

    expect(error.kind).toBe("missing");
    expect(error.variable).toBe("missing");
    expect(error.message).toContain("$missing");
  });

  it("missing variable gives line and column", () => {
    const error = catchTemplateError(() => substitute("line1\n  $missing here", {}));

    expect(error.line).toBe(2);
    expect(error.column).toBe(3);
    expect(error.message).toContain("line 2, column 3");
  });

  it("greedy name is missing when only its prefix is given", () => {
    const error = catchTemplateError(() => substitute("$nounification", { noun: "x" }));

    expect(error.variable).toBe("nounification");
  });

  it("first problem in text order wins", () => {
    const error = catchTemplateError(() => substitute("$first then $ bad", {}));

    expect(error.kind).toBe("missing");
    expect(error.variable).toBe("first");
  });

  it("undefined value counts as missing", () => {
    const error = catchTemplateError(() => substitute("$a", { a: undefined }));

    expect(error.kind).toBe("missing");
  });

  it("inherited property counts as missing", () => {
    const error = catchTemplateError(() => substitute("$constructor", {}));

    expect(error.kind).toBe("missing");
    expect(error.variable).toBe("constructor");
  });

  it.each([
    ["digit after $", "ab\ncd $1", 2, 4],
    ["$ at end of text", "$", 1, 1],
    ["space inside braces", "${ x }", 1, 1],
    ["unclosed brace", "${x", 1, 1],
    ["empty braces", "${}", 1, 1],
    ["non-ASCII identifier", "日本語 $名前", 1, 5],
    ["emoji counts as one column", "😀 $", 1, 3],
    ["every splitlines boundary counts", "a\r\nb\rc\x0bd\x0ce\x85f\u2028g $ h", 7, 3],
  ])("invalid placeholder: %s", (_case, template, line, column) => {
    const error = catchTemplateError(() => substitute(template, { x: 1 }));

    expect(error.kind).toBe("invalid");
    expect(error.line).toBe(line);
    expect(error.column).toBe(column);
    expect(error.message).toContain(`line ${line}, column ${column}`);
  });
});

describe("safeSubstitute", () => {
  it.each([
    ["missing plain name stays", "$a $b", { a: "1" }, "1 $b"],
    ["missing braced name stays braced", "${a}-${b}", { a: "1" }, "1-${b}"],
    ["invalid placeholder stays", "cost $ 5 and $1", {}, "cost $ 5 and $1"],
    ["unclosed brace stays", "${x", { x: "1" }, "${x"],
    ["escape still renders $", "$$ and $a", {}, "$ and $a"],
    ["non-ASCII text with invalid placeholder", "日本語 $名前", {}, "日本語 $名前"],
    ["value with $& stays literal", "Total: $amount", { amount: "cost $& and $$5" }, "Total: cost $& and $$5"],
  ])("%s", (_case, template, values, expected) => {
    expect(safeSubstitute(template, values)).toBe(expected);
  });
});

describe("templateVariables", () => {
  it("lists names in order of first use", () => {
    expect(templateVariables("$b ${a} $b $c")).toEqual(["b", "a", "c"]);
  });

  it("skips escapes and invalid placeholders", () => {
    expect(templateVariables("$$x $1 ${ y } $z")).toEqual(["z"]);
  });

  it("returns nothing for plain JSON", () => {
    expect(templateVariables('{"a": [1, 2]}')).toEqual([]);
  });
});

describe("findInvalidPlaceholders", () => {
  it("reports every invalid placeholder with its position", () => {
    const found = findInvalidPlaceholders("ok $a\n$1 and ${b c}");

    expect(found.map((part) => [part.line, part.column])).toEqual([
      [2, 1],
      [2, 8],
    ]);
  });
});

describe("parseTemplate", () => {
  it("merges escapes into the surrounding literal text", () => {
    expect(parseTemplate("a $$ b")).toEqual(["a $ b"]);
  });
});

describe("formatTemplateValue", () => {
  it.each([
    ["integer", 1200, "1200"],
    ["decimal without locale grouping", 1234567.5, "1234567.5"],
    ["small decimal", 0.25, "0.25"],
    ["negative zero", -0, "0"],
    ["bigint", 12n, "12"],
    ["boolean", false, "false"],
    ["null", null, "null"],
    ["array as compact JSON", [{ id: "A01" }, 2], '[{"id":"A01"},2]'],
    ["object as compact JSON", { text: 'say "hi" $x' }, '{"text":"say \\"hi\\" $x"}'],
    ["date as ISO 8601", new Date("2026-01-02T03:04:05.000Z"), "2026-01-02T03:04:05.000Z"],
  ])("%s", (_case, value, expected) => {
    expect(formatTemplateValue(value, "v")).toBe(expected);
  });

  it.each([
    ["NaN", Number.NaN],
    ["infinity", Number.POSITIVE_INFINITY],
    ["function", () => 1],
    ["symbol", Symbol("s")],
  ])("rejects %s", (_case, value) => {
    const error = catchTemplateError(() => formatTemplateValue(value, "amount"));

    expect(error.kind).toBe("unsupported_value");
    expect(error.message).toContain("$amount");
  });

  it("rejects a cyclic object", () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;

    const error = catchTemplateError(() => substitute("$data", { data: cyclic }));

    expect(error.kind).toBe("unsupported_value");
  });
});

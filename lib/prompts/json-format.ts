/**
 * Pretty-print JSON the way the repository's formatter (Biome 2, line width 120) lays out JSON
 * files, so exported prompt manifests pass `biome check` unchanged. Non-empty objects always break
 * onto one line per key. An array of scalars stays on one line when it fits, and otherwise breaks
 * one element per line, except that an array of numbers fills lines as Biome does.
 */

const LINE_WIDTH = 120;
const INDENT = "  ";

export function formatJsonDocument(value: unknown): string {
  return `${formatValue(value, "", 0)}\n`;
}

/** `prefixWidth` is the width of what precedes the value on its line; `suffixWidth` counts a trailing comma. */
function formatValue(value: unknown, indent: string, prefixWidth: number, suffixWidth = 0): string {
  if (Array.isArray(value)) return formatArray(value, indent, prefixWidth, suffixWidth);
  if (value !== null && typeof value === "object") return formatObject(value as Record<string, unknown>, indent);
  return JSON.stringify(value);
}

function formatObject(object: Record<string, unknown>, indent: string): string {
  const entries = Object.entries(object).filter(([, value]) => value !== undefined);
  if (entries.length === 0) return "{}";

  const inner = indent + INDENT;
  const lines = entries.map(([key, value], index) => {
    const prefix = `${inner}${JSON.stringify(key)}: `;
    const suffixWidth = index < entries.length - 1 ? 1 : 0;
    return prefix + formatValue(value, inner, prefix.length, suffixWidth);
  });
  return `{\n${lines.join(",\n")}\n${indent}}`;
}

function formatArray(array: unknown[], indent: string, prefixWidth: number, suffixWidth: number): string {
  if (array.length === 0) return "[]";

  const flat = flatForm(array);
  if (flat !== undefined && prefixWidth + flat.length + suffixWidth <= LINE_WIDTH) return flat;

  const inner = indent + INDENT;
  if (array.every((element) => typeof element === "number")) return fillNumbers(array as number[], indent);

  const lines = array.map(
    (element, index) => inner + formatValue(element, inner, inner.length, index < array.length - 1 ? 1 : 0),
  );
  return `[\n${lines.join(",\n")}\n${indent}]`;
}

/** One-line form of an array of scalars, empty objects and such arrays; undefined when it must break. */
function flatForm(value: unknown): string | undefined {
  if (Array.isArray(value)) {
    const parts: string[] = [];
    for (const element of value) {
      const part = flatForm(element);
      if (part === undefined) return undefined;
      parts.push(part);
    }
    return `[${parts.join(", ")}]`;
  }
  if (value !== null && typeof value === "object") {
    return Object.keys(value).length === 0 ? "{}" : undefined;
  }
  return JSON.stringify(value);
}

function fillNumbers(numbers: number[], indent: string): string {
  const inner = indent + INDENT;
  const lines: string[] = [];
  let line = "";
  numbers.forEach((number, index) => {
    const text = JSON.stringify(number) + (index < numbers.length - 1 ? "," : "");
    const candidate = line ? `${line} ${text}` : text;
    if (line && inner.length + candidate.length > LINE_WIDTH) {
      lines.push(line);
      line = text;
    } else {
      line = candidate;
    }
  });
  lines.push(line);
  return `[\n${lines.map((text) => inner + text).join("\n")}\n${indent}]`;
}

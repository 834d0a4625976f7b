/**
 * Templates in the syntax of Python's `string.Template`, so that prompt files written for Python
 * keep working. `$name` and `${name}` are placeholders and `$$` is a literal `$`. An identifier is
 * ASCII `[_a-zA-Z][_a-zA-Z0-9]*`, and a `$` followed by anything else is an invalid placeholder.
 * Every other character, braces and JSON examples included, is literal text.
 *
 * Errors give lines and columns as CPython 3.11 does. Lines split where `str.splitlines` splits,
 * and the column is the 1-based code-point position of the `$`.
 */

export interface TemplatePlaceholder {
  kind: "named" | "braced" | "invalid";
  /** Variable name; empty for an invalid placeholder. */
  name: string;
  /** The placeholder as written, for example `$amount` or `${noun}` (`$` alone when invalid). */
  source: string;
  line: number;
  column: number;
}

/** A parsed template: literal text and placeholders, in order. */
export type TemplatePart = string | TemplatePlaceholder;

export class TemplateError extends Error {
  constructor(
    readonly kind: "missing" | "invalid" | "unsupported_value",
    readonly variable: string,
    readonly line: number,
    readonly column: number,
    message: string,
  ) {
    super(message);
    this.name = "TemplateError";
  }
}

export type TemplateValues = Readonly<Record<string, unknown>>;

const IDENTIFIER = /[_a-zA-Z][_a-zA-Z0-9]*/y;
// The line boundaries of Python's `str.splitlines`, which include ASCII control characters.
// biome-ignore lint/suspicious/noControlCharactersInRegex: \x1c-\x1e are line boundaries in Python.
const LINE_BREAK = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/g;

/** Parse a template once, so that `renderTemplate` fills it without scanning the text again. */
export function parseTemplate(template: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  const lineStarts = findLineStarts(template);
  let literal = "";
  let index = 0;

  while (index < template.length) {
    const dollar = template.indexOf("$", index);
    if (dollar === -1) {
      literal += template.slice(index);
      break;
    }
    literal += template.slice(index, dollar);

    if (template[dollar + 1] === "$") {
      literal += "$";
      index = dollar + 2;
      continue;
    }

    const placeholder = readPlaceholder(template, dollar, lineStarts);
    if (literal) parts.push(literal);
    literal = "";
    parts.push(placeholder);
    index = dollar + placeholder.source.length;
  }

  if (literal) parts.push(literal);
  return parts;
}

function readPlaceholder(template: string, dollar: number, lineStarts: number[]): TemplatePlaceholder {
  const { line, column } = locate(template, dollar, lineStarts);

  IDENTIFIER.lastIndex = dollar + 1;
  const named = IDENTIFIER.exec(template);
  if (named) return { kind: "named", name: named[0], source: `$${named[0]}`, line, column };

  if (template[dollar + 1] === "{") {
    IDENTIFIER.lastIndex = dollar + 2;
    const braced = IDENTIFIER.exec(template);
    if (braced && template[dollar + 2 + braced[0].length] === "}") {
      return { kind: "braced", name: braced[0], source: `\${${braced[0]}}`, line, column };
    }
  }

  // As in Python, only the `$` belongs to an invalid placeholder; the text after it stays literal.
  return { kind: "invalid", name: "", source: "$", line, column };
}

/** Split text into lines where Python's `str.splitlines` would, so line numbers agree with errors. */
export function splitLines(text: string): string[] {
  return text.split(LINE_BREAK);
}

function findLineStarts(text: string): number[] {
  const starts = [0];
  for (const match of text.matchAll(LINE_BREAK)) starts.push(match.index + match[0].length);
  return starts;
}

function locate(text: string, index: number, lineStarts: number[]): { line: number; column: number } {
  let low = 0;
  let high = lineStarts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if ((lineStarts[middle] ?? 0) <= index) low = middle;
    else high = middle - 1;
  }
  const lineStart = lineStarts[low] ?? 0;
  // Code points, not UTF-16 units, so an emoji before the `$` counts once, as in Python.
  const column = Array.from(text.slice(lineStart, index)).length + 1;
  return { line: low + 1, column };
}

/**
 * Format a value for insertion. Strings go in as they are. Finite numbers use `String()`, which
 * ignores the locale. Objects and arrays become compact JSON, with `<`, `>` and `&` written as
 * `\u003c`, `\u003e` and `\u0026` (still the same JSON), so user text inside a data block such as
 * `<backlog_items>` can never close that block or open another. `null` becomes `null`.
 */
export function formatTemplateValue(value: unknown, variable: string): string {
  switch (typeof value) {
    case "string":
      return value;
    case "number":
      if (!Number.isFinite(value)) throw unsupportedValue(variable, String(value));
      return Object.is(value, -0) ? "0" : String(value);
    case "bigint":
    case "boolean":
      return String(value);
    case "object":
      if (value === null) return "null";
      if (value instanceof Date) return value.toISOString();
      return stringifyJson(value, variable);
    default:
      throw unsupportedValue(variable, typeof value);
  }
}

function stringifyJson(value: object, variable: string): string {
  try {
    return JSON.stringify(value).replace(
      /[<>&]/g,
      (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, "0")}`,
    );
  } catch (error) {
    throw unsupportedValue(variable, error instanceof Error ? error.message : "not serialisable as JSON");
  }
}

function unsupportedValue(variable: string, reason: string): TemplateError {
  return new TemplateError(
    "unsupported_value",
    variable,
    0,
    0,
    `The value of template variable $${variable} cannot be inserted (${reason}); pass a string, a finite number, a boolean, null, or a JSON-serialisable object.`,
  );
}

function lookUp(values: TemplateValues, name: string): unknown {
  // Own properties only, so `$constructor` is missing rather than Object's constructor function.
  return Object.hasOwn(values, name) ? values[name] : undefined;
}

/**
 * Fill parsed parts. Strict mode throws a `TemplateError` at the first missing variable or invalid
 * placeholder in text order, as Python does. Safe mode leaves both as written.
 */
export function renderTemplate(
  parts: readonly TemplatePart[],
  values: TemplateValues,
  mode: "strict" | "safe",
): string {
  let output = "";
  for (const part of parts) {
    if (typeof part === "string") {
      output += part;
      continue;
    }
    if (part.kind === "invalid") {
      if (mode === "strict") {
        throw new TemplateError(
          "invalid",
          "",
          part.line,
          part.column,
          `Invalid placeholder at line ${part.line}, column ${part.column}: a $ must start $name, \${name} or $$ (for a literal $).`,
        );
      }
      output += part.source;
      continue;
    }

    const value = lookUp(values, part.name);
    if (value === undefined) {
      if (mode === "strict") {
        throw new TemplateError(
          "missing",
          part.name,
          part.line,
          part.column,
          `Missing value for template variable $${part.name} at line ${part.line}, column ${part.column}.`,
        );
      }
      output += part.source;
      continue;
    }
    // Concatenation, not String.prototype.replace, so `$&`, `$$` or `$name` in a value stay as they are.
    output += formatTemplateValue(value, part.name);
  }
  return output;
}

/** Python's `Template.substitute`: throws on a missing variable or an invalid placeholder. */
export function substitute(template: string, values: TemplateValues): string {
  return renderTemplate(parseTemplate(template), values, "strict");
}

/** Python's `Template.safe_substitute`: unknown and invalid placeholders stay as written. */
export function safeSubstitute(template: string, values: TemplateValues): string {
  return renderTemplate(parseTemplate(template), values, "safe");
}

/** Variable names in order of first use; escapes and invalid placeholders are not variables. */
export function templateVariables(template: string): string[] {
  return variablesOfParts(parseTemplate(template));
}

export function variablesOfParts(parts: readonly TemplatePart[]): string[] {
  const names = new Set<string>();
  for (const part of parts) {
    if (typeof part !== "string" && part.kind !== "invalid") names.add(part.name);
  }
  return [...names];
}

/** Invalid placeholders with their positions, for editors and save-time validation. */
export function findInvalidPlaceholders(template: string): TemplatePlaceholder[] {
  return parseTemplate(template).filter(
    (part): part is TemplatePlaceholder => typeof part !== "string" && part.kind === "invalid",
  );
}

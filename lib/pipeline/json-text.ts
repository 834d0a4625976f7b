/**
 * Locating JSON inside a model response: markdown fences, prose around the value, comments, and a
 * bracket scan that distinguishes a complete value from one cut off before its closing brackets.
 */

export interface BracketScan {
  /** Index just past the bracket that closes the value opened at `start`; -1 when it never closes. */
  end: number;
  /** Brackets still open at the end of the text. */
  openBrackets: number;
  /** The text ends inside a string. */
  endsInString: boolean;
}

/**
 * Scan from an opening `{` or `[` to its matching closing bracket, skipping strings and escapes.
 * Strings may be single-quoted, as in JSON written the Python way, which jsonrepair fixes later.
 */
export function scanBrackets(text: string, start = 0): BracketScan {
  let depth = 0;
  let quote: string | undefined;

  for (let index = start; index < text.length; index++) {
    const char = text[index];
    if (quote) {
      if (char === "\\") index++;
      else if (char === quote) quote = undefined;
      continue;
    }
    if (char === '"' || char === "'") quote = char;
    else if (char === "{" || char === "[") depth++;
    else if (char === "}" || char === "]") {
      depth--;
      if (depth === 0) return { end: index + 1, openBrackets: 0, endsInString: false };
    }
  }
  return { end: -1, openBrackets: Math.max(depth, 0), endsInString: quote !== undefined };
}

export interface ExtractedJson {
  text: string;
  fromFence: boolean;
  /** Non-blank text surrounded the JSON value (outside the fence, or before and after the value). */
  hadProse: boolean;
}

const FENCE = /```[ \t]*([A-Za-z0-9_-]*)[ \t]*\r?\n([\s\S]*?)(?:\r?\n?```|$)/g;

/** Take the JSON value out of a response; returns null when the response has no `{` or `[` at all. */
export function extractJsonText(response: string): ExtractedJson | null {
  for (const match of response.matchAll(FENCE)) {
    const body = (match[2] ?? "").trim();
    if (!body.startsWith("{") && !body.startsWith("[")) continue;
    const outside = response.slice(0, match.index) + response.slice((match.index ?? 0) + match[0].length);
    const inner = extractFromProse(body);
    return {
      text: inner?.text ?? body,
      fromFence: true,
      hadProse: outside.trim().length > 0 || Boolean(inner?.hadProse),
    };
  }
  const found = extractFromProse(response);
  return found ? { ...found, fromFence: false } : null;
}

/**
 * Split the text into top-level bracketed values and pick the first that parses as strict JSON.
 * Failing that, pick the longest, because a cut-off value is longer than a bracketed word before it.
 */
function extractFromProse(text: string): { text: string; hadProse: boolean } | null {
  const candidates: Array<{ start: number; end: number }> = [];
  let index = text.search(/[[{]/);
  while (index !== -1 && candidates.length < 16) {
    const scan = scanBrackets(text, index);
    const end = scan.end === -1 ? text.length : scan.end;
    candidates.push({ start: index, end });
    const rest = text.slice(end).search(/[[{]/);
    index = scan.end === -1 || rest === -1 ? -1 : end + rest;
  }
  if (candidates.length === 0) return null;

  const chosen =
    candidates.find((candidate) => isStrictJson(text.slice(candidate.start, candidate.end))) ??
    candidates.reduce((longest, candidate) =>
      candidate.end - candidate.start > longest.end - longest.start ? candidate : longest,
    );
  const hadProse = text.slice(0, chosen.start).trim().length > 0 || text.slice(chosen.end).trim().length > 0;
  return { text: text.slice(chosen.start, chosen.end), hadProse };
}

function isStrictJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * Remove `//`, `/* *\/` and `#` comments outside strings. A `#` counts as a comment where a value or
 * key may start (after `{`, `[`, `,`, `:` or a line break) or after a space, so `C#` in a bare word
 * survives.
 */
export function stripComments(text: string): { text: string; removed: boolean } {
  let out = "";
  let quote: string | undefined;
  let removed = false;
  let lastSignificant = "\n";

  for (let index = 0; index < text.length; index++) {
    const char = text[index] as string;
    const next = text[index + 1];
    if (quote) {
      out += char;
      if (char === "\\" && next !== undefined) {
        out += next;
        index++;
      } else if (char === quote) quote = undefined;
      continue;
    }

    const hashComment = char === "#" && (/[{[,:\n]/.test(lastSignificant) || /\s/.test(text[index - 1] ?? "\n"));
    if ((char === "/" && next === "/") || hashComment) {
      const lineEnd = text.indexOf("\n", index);
      index = lineEnd === -1 ? text.length : lineEnd - 1;
      removed = true;
      continue;
    }
    if (char === "/" && next === "*") {
      const close = text.indexOf("*/", index + 2);
      index = close === -1 ? text.length : close + 1;
      removed = true;
      continue;
    }

    if (char === '"' || char === "'") quote = char;
    out += char;
    if (char === "\n" || !/\s/.test(char)) lastSignificant = char;
  }
  return { text: out, removed };
}

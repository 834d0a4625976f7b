import { jsonrepair } from "jsonrepair";
import { extractJsonText, scanBrackets, stripComments } from "./json-text";

/** Repairs applied to a model response before it parsed, in the order they were applied. */
export const repairSteps = [
  "fence",
  "prose",
  "comments",
  "trailing_commas",
  "raw_newlines",
  "single_quotes",
  "curly_quotes",
  "unquoted_keys",
  "python_literals",
  "other",
] as const;
export type RepairStep = (typeof repairSteps)[number];

export type ParsedOutput =
  | { ok: true; value: unknown; text: string; repaired: boolean; repairs: RepairStep[] }
  | {
      ok: false;
      /** `truncated`: the JSON ends before its closing brackets or inside a string. */
      reason: "empty" | "no_json" | "truncated" | "unparseable";
      message: string;
      text?: string;
      repairs: RepairStep[];
    };

/**
 * Parse the JSON value in a model response: take it out of fences and prose, drop comments, then
 * repair the rest with `jsonrepair`. A value cut off before its closing brackets is rejected as
 * `truncated` and never auto-closed, because the closed value would look complete but miss data.
 */
export function parseModelOutput(response: string): ParsedOutput {
  if (response.trim() === "") return { ok: false, reason: "empty", message: "the response is empty", repairs: [] };

  const extracted = extractJsonText(response);
  if (!extracted) {
    return { ok: false, reason: "no_json", message: "the response contains no JSON object or array", repairs: [] };
  }

  const repairs: RepairStep[] = [];
  if (extracted.fromFence) repairs.push("fence");
  if (extracted.hadProse) repairs.push("prose");

  const uncommented = stripComments(extracted.text);
  if (uncommented.removed) repairs.push("comments");
  const text = uncommented.text.trim();

  const scan = scanBrackets(text);
  if (scan.end === -1) {
    const where = scan.endsInString ? "inside a string" : `with ${scan.openBrackets} bracket(s) still open`;
    return { ok: false, reason: "truncated", message: `the JSON text ends ${where}`, text, repairs };
  }

  const direct = tryParse(text);
  if (direct.ok) return { ok: true, value: direct.value, text, repaired: repairs.length > 0, repairs };

  let repairedText: string;
  try {
    repairedText = jsonrepair(text);
  } catch (error) {
    const message = `the response is not valid JSON and could not be repaired: ${(error as Error).message}`;
    return { ok: false, reason: "unparseable", message, text, repairs };
  }
  const reparsed = tryParse(repairedText);
  if (!reparsed.ok) {
    return {
      ok: false,
      reason: "unparseable",
      message: `the repaired JSON does not parse: ${reparsed.message}`,
      repairs,
    };
  }
  const found = detectRepairs(text);
  repairs.push(...(found.length > 0 ? found : (["other"] as const)));
  return { ok: true, value: reparsed.value, text: repairedText, repaired: true, repairs };
}

function tryParse(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
}

/**
 * Name the defects `jsonrepair` fixed, for the call record. `jsonrepair` does not report what it
 * changed, so this looks for each defect in the text before repair; it is a description, not a proof.
 */
export function detectRepairs(text: string): RepairStep[] {
  const { outside, rawNewlineInString, singleQuoted } = splitStrings(text);
  const found: RepairStep[] = [];
  if (/,\s*[}\]]/.test(outside)) found.push("trailing_commas");
  if (rawNewlineInString) found.push("raw_newlines");
  if (singleQuoted) found.push("single_quotes");
  if (/[\u201c\u201d\u2018\u2019]/.test(outside)) found.push("curly_quotes");
  if (/[{,]\s*[A-Za-z_$][\w$]*\s*:/.test(outside)) found.push("unquoted_keys");
  if (/\b(True|False|None)\b/.test(outside)) found.push("python_literals");
  return found;
}

/** Blank out strings, and tell whether a string contained a raw line break or used single quotes. */
function splitStrings(text: string): { outside: string; rawNewlineInString: boolean; singleQuoted: boolean } {
  let outside = "";
  let quote: string | undefined;
  let rawNewlineInString = false;
  let singleQuoted = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (!quote) {
      if (char === '"' || char === "'") {
        quote = char;
        if (char === "'") singleQuoted = true;
      }
      outside += quote ? " " : char;
      continue;
    }
    if (char === "\\") index++;
    else if (char === quote) quote = undefined;
    else if (char === "\n") rawNewlineInString = true;
  }
  return { outside, rawNewlineInString, singleQuoted };
}

import type { z } from "zod";
import { checkInputValue } from "@/lib/backlog/schemas";
import { type InputName, type InputScale, inputDefinitions } from "@/lib/prioritization/scales";

/**
 * ICU parameters of each row problem code. A client words a problem in its own language from the
 * code and these parameters. Entries under `serverErrors.rowProblems` in the message catalogs
 * take exactly these parameters. `input` is an input name such as `reach`, and `allowed` is the
 * list of values that the input's scale accepts. `thousands` and `decimal` are the two readings of
 * an ambiguous number such as `1,200`.
 */
export const rowProblemParams = {
  title_missing: [],
  text_too_long: ["max"],
  value_invalid: [],
  item_id_not_uuid: ["value"],
  item_id_repeated: ["value", "firstRow"],
  external_id_repeated: ["value", "firstRow"],
  status_unknown: ["value"],
  too_many_links: ["max"],
  link_not_http: ["link"],
  link_too_long: ["link", "max"],
  number_ambiguous: ["value", "thousands", "decimal"],
  not_a_number: ["value"],
  number_too_large: ["value"],
  percent_not_allowed: ["input", "value"],
  input_not_in_set: ["input", "value", "allowed"],
  input_not_in_range: ["input", "value", "min", "max"],
  input_not_whole_in_range: ["input", "value", "min", "max"],
  item_matched_twice: ["itemNumber", "earlierRow"],
  external_id_taken: ["value", "itemNumber"],
  item_id_exists: ["value", "itemNumber"],
  item_id_unknown: ["value"],
  item_id_deleted: ["value", "itemNumber"],
  external_id_exists: ["value", "itemNumber"],
  too_many_cells: ["cells", "columns"],
} as const satisfies Record<string, readonly string[]>;

export type RowProblemCode = keyof typeof rowProblemParams;
export const rowProblemCodes = Object.keys(rowProblemParams) as RowProblemCode[];

export type RowProblemParamValue = string | number | readonly number[];
type ParamsOf<Code extends RowProblemCode> = Record<(typeof rowProblemParams)[Code][number], RowProblemParamValue>;

/** A problem of one cell or row: a stable code, its parameters, and the English text. */
export interface RowProblem {
  code: RowProblemCode;
  params: Record<string, RowProblemParamValue>;
  /** English sentence, which clients without a catalog show as it is. */
  message: string;
}

/** Maximum length, in characters, of text that a row problem repeats from the file. Longer text is cut. */
export const MAX_ECHOED_CHARS = 200;

/**
 * Cut text to MAX_ECHOED_CHARS characters, the last one an ellipsis, so that an error about a
 * huge cell does not send the cell back whole.
 */
export function shortenEchoedText(text: string): string {
  if (text.length <= MAX_ECHOED_CHARS) return text;
  let prefix = text.slice(0, MAX_ECHOED_CHARS - 1);
  // A cut between the two halves of a surrogate pair would leave an invalid character.
  if (/[\uD800-\uDBFF]$/.test(prefix)) prefix = prefix.slice(0, -1);
  return `${prefix}…`;
}

/**
 * Build a row problem. Text parameters longer than MAX_ECHOED_CHARS are cut, in `params` and
 * wherever the message quotes them.
 */
export function rowProblem<Code extends RowProblemCode>(
  code: Code,
  params: ParamsOf<Code>,
  message: string,
): RowProblem {
  const shortParams: Record<string, RowProblemParamValue> = {};
  let shortMessage = message;
  for (const [name, value] of Object.entries<RowProblemParamValue>(params)) {
    if (typeof value === "string" && value.length > MAX_ECHOED_CHARS) {
      const short = shortenEchoedText(value);
      shortMessage = shortMessage.split(value).join(short);
      shortParams[name] = short;
    } else {
      shortParams[name] = value;
    }
  }
  return { code, params: shortParams, message: shortMessage };
}

export function isRowProblemCode(code: string): code is RowProblemCode {
  return Object.hasOwn(rowProblemParams, code);
}

/**
 * Describe the first issue of a text field's schema check. `label` starts the English message,
 * such as `id` for the external id.
 */
export function describeTextIssue(field: string, label: string, issue: z.core.$ZodIssue): RowProblem {
  const message = `${label} ${issue.message}`;
  if (issue.code === "too_small" && field === "title") return rowProblem("title_missing", {}, message);
  if (issue.code === "too_big") return rowProblem("text_too_long", { max: Number(issue.maximum) }, message);
  return rowProblem("value_invalid", {}, message);
}

/** Describe the first issue of one link's schema check. */
export function describeLinkIssue(link: string, issue: z.core.$ZodIssue): RowProblem {
  const message = `link "${link}" ${issue.message}`;
  if (issue.code === "too_big") return rowProblem("link_too_long", { link, max: Number(issue.maximum) }, message);
  return rowProblem("link_not_http", { link }, message);
}

/** Check a value against its input's scale as `checkInputValue` does, and return the problem or null. */
export function checkImportedInput(input: InputName, value: number): RowProblem | null {
  const message = checkInputValue(input, value);
  if (!message) return null;

  const scale: InputScale = inputDefinitions[input].scale;
  if (scale.kind === "set") return rowProblem("input_not_in_set", { input, value, allowed: scale.values }, message);
  const code = scale.integer ? "input_not_whole_in_range" : "input_not_in_range";
  return rowProblem(code, { input, value, min: scale.min, max: scale.max }, message);
}

import { isRowProblemCode, rowProblemParams } from "@/lib/backlog/csv-row-problems";
import { canFormat, type ServerErrorTranslator } from "./server-errors";

/**
 * A row problem of a CSV import as the server sends it: the code and ICU parameters that the
 * catalogs word, and the English `message` shown for a code this client does not know.
 */
export interface LocalizableRowProblem {
  code?: string;
  params?: Record<string, unknown>;
  message: string;
}

export interface RowProblemFormatting {
  /** Translator of the `serverErrors` namespace, whose `rowProblems` entries word each code. */
  t: ServerErrorTranslator;
  /** Locale of the catalog, used to write the numbers of a list such as the allowed values. */
  locale: string;
  /** Label of an input name such as `reach`, as the import screen shows it. */
  labelInput: (input: string) => string;
}

/**
 * Return a row problem as a sentence in the translator's language. An unknown code, or a
 * parameter missing or of the wrong type, returns the server's English `message`.
 */
export function localizeRowProblem(problem: LocalizableRowProblem, formatting: RowProblemFormatting): string {
  const { code, params } = problem;
  if (!code || !isRowProblemCode(code) || !params) return problem.message;

  const values: Record<string, string | number> = {};
  for (const name of rowProblemParams[code]) {
    const value = formatParam(name, params[name], formatting);
    if (value === undefined) return problem.message;
    values[name] = value;
  }

  const key = `rowProblems.${code}`;
  if (!canFormat(formatting.t, key, values)) return problem.message;
  return formatting.t(key, values);
}

/**
 * Turn one parameter into an ICU value: an input name becomes its label, and a list of numbers
 * becomes text in the locale's number format, separated by the catalog's `valueListSeparator`.
 */
function formatParam(name: string, value: unknown, formatting: RowProblemFormatting): string | number | undefined {
  if (name === "input") return typeof value === "string" ? formatting.labelInput(value) : undefined;
  if (Array.isArray(value)) {
    if (!value.every((item) => typeof item === "number" && Number.isFinite(item))) return undefined;
    return value.map((item) => formatProblemNumber(item, formatting.locale)).join(formatting.t("valueListSeparator"));
  }
  if (typeof value === "string") return value;
  if (typeof value !== "number" || !Number.isFinite(value)) return undefined;
  // The cell value is passed as text, so a tiny value is not rounded to 0 and a huge one is not
  // printed with hundreds of digits. Counts and limits stay numbers for the catalogs' plural and number arguments.
  return name === "value" ? formatProblemNumber(value, formatting.locale) : value;
}

/** Numbers at or past this size are written in scientific notation. */
const SCIENTIFIC_FROM = 1e15;
/** Non-zero numbers below this size are written in scientific notation. */
const SCIENTIFIC_BELOW = 1e-6;
/**
 * Significant digits of a written number. A decimal of up to 15 significant digits parsed to a
 * double is written back unchanged at this precision (DBL_DIG of IEEE 754 doubles).
 */
const SIGNIFICANT_DIGITS = 15;

/**
 * Write a number of a row problem in the locale's format. Very large and very small numbers are
 * written in scientific notation, such as `1E308` or `1E-7`, and no non-zero number is rounded to 0.
 */
export function formatProblemNumber(value: number, locale: string): string {
  const size = Math.abs(value);
  const scientific = size >= SCIENTIFIC_FROM || (size !== 0 && size < SCIENTIFIC_BELOW);
  return new Intl.NumberFormat(locale, {
    notation: scientific ? "scientific" : "standard",
    maximumSignificantDigits: SIGNIFICANT_DIGITS,
  }).format(value);
}

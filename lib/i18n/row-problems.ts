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
    if (!value.every((item) => typeof item === "number")) return undefined;
    const numbers = new Intl.NumberFormat(formatting.locale);
    return value.map((item) => numbers.format(item)).join(formatting.t("valueListSeparator"));
  }
  if (typeof value === "string") return value;
  if (typeof value === "number" && Number.isFinite(value)) return value;
  return undefined;
}

import { type RowProblem, rowProblem } from "./csv-row-problems";
import { parseSpreadsheetNumber } from "./csv-rows";

/** Space, no-break space (U+00A0) and narrow no-break space (U+202F), which French uses to group thousands. */
const SPACE_PATTERN = "[\\s\\u00a0\\u202f]";

interface NumberSeparators {
  /** Group separator as a regular expression fragment, or null when the locale does not group digits. */
  group: string | null;
  decimal: string;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Read the group and decimal separators that `Intl.NumberFormat` writes for the locale. */
function separatorsOf(locale: string): NumberSeparators {
  const parts = new Intl.NumberFormat(locale).formatToParts(12345.6);
  const group = parts.find((part) => part.type === "group")?.value;
  const decimal = parts.find((part) => part.type === "decimal")?.value ?? ".";
  if (group === undefined) return { group: null, decimal };
  return { group: /^\s$/u.test(group) ? SPACE_PATTERN : escapeRegExp(group), decimal };
}

/**
 * Parse a number typed in the UI language `locale`, such as `1,000.5` in English or `1 000,5` in
 * French, where any kind of space groups thousands and each group has three digits. Other text
 * without spaces, such as `1.5` in French, is read as the CSV import reads a cell. A separator
 * that could mean thousands or a decimal point (`1.000` in French) is rejected as
 * `number_ambiguous`. Returns the number, or the problem.
 */
export function parseLocaleNumber(raw: string, locale: string): number | RowProblem {
  const text = raw.trim();
  const { group, decimal } = separatorsOf(locale);
  const decimalPattern = escapeRegExp(decimal);
  const integerPattern = group === null ? "\\d+" : `(\\d{1,3}(${group}\\d{3})+|\\d+)`;
  const localePattern = new RegExp(`^[+-]?(${integerPattern}(${decimalPattern}\\d*)?|${decimalPattern}\\d+)$`, "u");

  if (!localePattern.test(text)) {
    // `parseSpreadsheetNumber` drops every space, so it would read a typo such as `1 5` as 15.
    if (new RegExp(SPACE_PATTERN, "u").test(text)) {
      return rowProblem("not_a_number", { value: text }, `"${text}" is not a number`);
    }
    // `parseSpreadsheetNumber` reads a lone dot as a decimal point. In a locale that writes no
    // dots, `1.000` could as well mean a thousand.
    const foreignSeparators = [",", "."].filter((separator) => separator !== decimal && separator !== group);
    const separator = foreignSeparators.find((candidate) =>
      new RegExp(`^[+-]?\\d{1,3}\\${candidate}\\d{3}$`).test(text),
    );
    if (separator) {
      const thousands = Number(text.replace(separator, ""));
      const decimalReading = Number(text.replace(separator, "."));
      return rowProblem(
        "number_ambiguous",
        { value: text, thousands, decimal: decimalReading },
        `"${text}" is ambiguous: it can mean ${thousands} or ${decimalReading}; write the number you mean`,
      );
    }
    return parseSpreadsheetNumber(text);
  }

  const withoutGroups = group === null ? text : text.replace(new RegExp(group, "gu"), "");
  return Number(withoutGroups.replace(decimal, "."));
}

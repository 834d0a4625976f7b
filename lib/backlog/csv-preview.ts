import type { CsvTable } from "./csv";
import { type ColumnMapping, guessColumnMappingOrThrow } from "./csv-mapping";
import { shortenEchoedText } from "./csv-row-problems";
import { type RowError, type RowValidation, validateImportRows } from "./csv-rows";

/** Most row errors an import response lists; the counts still cover every row. */
export const MAX_LISTED_ROW_ERRORS = 200;

export interface CsvPreview {
  headers: string[];
  delimiter: string;
  rowCount: number;
  /** The mapping used: the caller's, or the one guessed from the headers. */
  mapping: ColumnMapping;
  /** Headers that no field uses, so the UI can offer them for mapping. */
  unmappedHeaders: string[];
  /** The first rows as parsed, every cell as text, cut to MAX_ECHOED_CHARS characters. */
  sampleRows: string[][];
  validRowCount: number;
  invalidRowCount: number;
  errorCount: number;
  /** The first MAX_LISTED_ROW_ERRORS errors, in row order. */
  errors: RowError[];
}

/**
 * Summarise a parsed file for the import screen: mapping, first rows, and every row's errors
 * counted. Without a mapping, a header that a guessed column shares with another is a 400. The
 * rows are checked on their own, without the workspace's items (see previewBacklogCsvImport).
 */
export function previewCsvImport(table: CsvTable, options: { mapping?: ColumnMapping; sampleSize?: number } = {}) {
  const mapping = options.mapping ?? guessColumnMappingOrThrow(table.headers);
  const validation = validateImportRows(table, mapping);
  return buildCsvPreview(table, mapping, validation, options.sampleSize);
}

/**
 * Build the preview of a file from its row validation. `validation.errors` may add problems found
 * against the workspace's items to the rows' own, in row order, and `validation.rows` then counts
 * only the rows without any problem.
 */
export function buildCsvPreview(
  table: CsvTable,
  mapping: ColumnMapping,
  validation: RowValidation,
  sampleSize = 10,
): CsvPreview {
  const used = new Set(Object.values(mapping));
  return {
    headers: table.headers,
    delimiter: table.delimiter,
    rowCount: table.rows.length,
    mapping,
    unmappedHeaders: table.headers.filter((header, index) => header !== "" && !used.has(index)),
    sampleRows: table.rows.slice(0, sampleSize).map((row) => row.map(shortenEchoedText)),
    validRowCount: validation.rows.length,
    invalidRowCount: validation.invalidRows.length,
    errorCount: validation.errors.length,
    errors: validation.errors.slice(0, MAX_LISTED_ROW_ERRORS),
  };
}

/** Turn a mapping by header name (as the REST API takes it) into column indexes; unknown names are errors. */
export function resolveMappingByHeader(
  headers: readonly string[],
  byHeader: Record<string, string>,
): { mapping: ColumnMapping; unknown: string[] } {
  const mapping: ColumnMapping = {};
  const unknown: string[] = [];
  for (const [field, header] of Object.entries(byHeader)) {
    const index = headers.indexOf(header.trim());
    if (index < 0) unknown.push(field);
    else mapping[field as keyof ColumnMapping] = index;
  }
  return { mapping, unknown };
}

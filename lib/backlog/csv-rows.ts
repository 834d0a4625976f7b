import { z } from "zod";
import type { ItemStatus } from "@/db/schema";
import type { InputName } from "@/lib/prioritization/scales";
import { type CsvTable, unescapeCsvCell } from "./csv";
import { type ColumnMapping, type ImportField, isInputField, normalizeHeader } from "./csv-mapping";
import {
  checkImportedInput,
  describeLinkIssue,
  describeTextIssue,
  type RowProblem,
  rowProblem,
  shortenEchoedText,
} from "./csv-row-problems";
import {
  ITEM_LIMITS,
  itemDescriptionSchema,
  itemExternalIdSchema,
  itemLinkSchema,
  itemThemeSchema,
  itemTitleSchema,
} from "./schemas";

/** One valid data row, ready to insert. */
export interface ImportRow {
  /** Row number as a spreadsheet shows it: the header is row 1, the first item row 2. */
  row: number;
  /** The item's own id, a lower-case UUID as the export writes it, or null when the cell is blank. */
  itemId: string | null;
  externalId: string | null;
  title: string;
  description: string;
  theme: string | null;
  /** Null when the file has no status for the row; new items then start as ideas. */
  status: ItemStatus | null;
  links: string[];
  inputs: Partial<Record<InputName, number>>;
}

/** A problem of one data row, with the cell it was found in. */
export interface RowError extends RowProblem {
  row: number;
  /**
   * The header of the column, or the field name when the header is blank. For cells past the last
   * header, the position of the first such column, counted from 1.
   */
  column: string;
  /** Null for a problem of the row rather than of a mapped cell, such as cells past the last header. */
  field: ImportField | null;
  /** The cell's text, cut to MAX_ECHOED_CHARS characters with an ellipsis when longer. */
  value: string;
  /** Length of the cell in characters, present only when `value` was cut. */
  valueLength?: number;
}

export interface RowValidation {
  rows: ImportRow[];
  errors: RowError[];
  /** Row numbers with at least one error, ascending. */
  invalidRows: number[];
}

/** Status labels in English and French, normalised, per status. */
const statusSynonyms: Record<ItemStatus, string[]> = {
  idea: ["idea", "idee", "new", "nouveau", "backlog", "open", "ouvert"],
  planned: ["planned", "planifie", "prevu", "todo", "to do", "a faire", "next"],
  in_progress: ["in progress", "in_progress", "en cours", "doing", "started", "wip"],
  done: ["done", "termine", "fait", "completed", "complete", "shipped", "livre", "closed", "ferme"],
  dropped: ["dropped", "abandonne", "rejected", "rejete", "won t do", "wont do", "cancelled", "canceled", "annule"],
};

export function parseStatus(raw: string): ItemStatus | null {
  const normalized = normalizeHeader(raw);
  for (const [status, synonyms] of Object.entries(statusSynonyms) as [ItemStatus, string[]][]) {
    if (synonyms.includes(normalized) || status === raw.trim()) return status;
  }
  return null;
}

/**
 * Parse a number written by a spreadsheet in English or French. Spaces (also no-break spaces)
 * group thousands. A comma is the decimal separator (`0,5`), except in `1,234,567` or when the
 * value also has a dot (`1,234.5` or `1.234,5`, where the last separator is the decimal one).
 * One comma followed by exactly three digits (`1,000`) could mean either, so it is rejected.
 * An exponent (`1E+12`) is read too. Returns the number, or the problem.
 */
export function parseSpreadsheetNumber(raw: string): number | RowProblem {
  let text = raw.trim().replace(/[\s\u00a0\u202f]/g, "");
  const lastComma = text.lastIndexOf(",");
  const lastDot = text.lastIndexOf(".");

  if (lastComma >= 0 && lastDot >= 0) {
    text = lastComma > lastDot ? text.replace(/\./g, "").replace(",", ".") : text.replace(/,/g, "");
  } else if (/^[+-]?\d{1,3}(,\d{3}){2,}$/.test(text)) {
    text = text.replace(/,/g, "");
  } else if (/^[+-]?\d{1,3},\d{3}$/.test(text)) {
    const value = raw.trim();
    const thousands = Number(text.replace(",", ""));
    const decimal = Number(text.replace(",", "."));
    return rowProblem(
      "number_ambiguous",
      { value, thousands, decimal },
      `"${value}" is ambiguous: it can mean ${thousands} or ${decimal}; write the number you mean`,
    );
  } else if (lastComma >= 0) {
    text = text.replace(",", ".");
  } else if (/^[+-]?\d{1,3}(\.\d{3}){2,}$/.test(text)) {
    text = text.replace(/\./g, "");
  }

  // Spreadsheets write very large or small numbers with an exponent, such as 1E+12.
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i.test(text)) {
    const value = raw.trim();
    return rowProblem("not_a_number", { value }, `"${value}" is not a number`);
  }
  const number = Number(text);
  if (!Number.isFinite(number)) {
    const value = raw.trim();
    return rowProblem("number_too_large", { value }, `"${value}" is too large for any input`);
  }
  return number;
}

/**
 * Parse an input cell. RICE confidence also accepts `80%` and a fraction such as `0.8`, because
 * spreadsheets store percentages as fractions; every other input takes a plain number.
 */
export function parseInputCell(input: InputName, raw: string): number | RowProblem {
  const trimmed = raw.trim();
  const isPercent = trimmed.endsWith("%");
  if (isPercent && input !== "confidence") {
    return rowProblem(
      "percent_not_allowed",
      { input, value: trimmed },
      `expected a plain number for ${input}, got "${trimmed}"`,
    );
  }

  const parsed = parseSpreadsheetNumber(isPercent ? trimmed.slice(0, -1) : trimmed);
  if (typeof parsed !== "number") return parsed;
  const value = input === "confidence" && !isPercent && parsed > 0 && parsed <= 1 ? Math.round(parsed * 100) : parsed;

  return checkImportedInput(input, value) ?? value;
}

function firstIssue(result: z.ZodSafeParseResult<unknown>): z.core.$ZodIssue | null {
  if (result.success) return null;
  return result.error.issues[0] ?? { code: "custom", message: "is invalid", path: [], input: undefined };
}

/** Reads the mapped cells of one data row and collects its errors. */
interface RowReader {
  cell(field: ImportField): string | undefined;
  fail(field: ImportField, problem: RowProblem): void;
  errors: RowError[];
}

/** Shorten a cell for a row error's `value`, and record the cell's length when it is cut. */
function echoCell(text: string): Pick<RowError, "value" | "valueLength"> {
  const value = shortenEchoedText(text);
  return value === text ? { value } : { value, valueLength: text.length };
}

function createRowReader(table: CsvTable, mapping: ColumnMapping, cells: string[], rowNumber: number): RowReader {
  const errors: RowError[] = [];
  const cell = (field: ImportField) => {
    const column = mapping[field];
    return column === undefined ? undefined : unescapeCsvCell(cells[column] ?? "");
  };
  const fail = (field: ImportField, problem: RowProblem) => {
    const column = mapping[field];
    const header = column === undefined ? "" : (table.headers[column] ?? "");
    errors.push({ row: rowNumber, column: header || field, field, ...echoCell(cell(field) ?? ""), ...problem });
  };
  return { cell, fail, errors };
}

function readTextFields(reader: RowReader) {
  const title = itemTitleSchema.safeParse(reader.cell("title") ?? "");
  const description = itemDescriptionSchema.safeParse(reader.cell("description") ?? "");
  const theme = itemThemeSchema.safeParse(reader.cell("theme") ?? null);
  const externalId = itemExternalIdSchema.safeParse(reader.cell("externalId") ?? null);
  for (const [field, result] of Object.entries({ title, description, theme, externalId })) {
    const issue = firstIssue(result);
    const label = field === "externalId" ? "id" : field;
    if (issue) reader.fail(field as ImportField, describeTextIssue(field, label, issue));
  }
  return {
    title: title.data ?? "",
    description: description.data ?? "",
    theme: theme.data ?? null,
    externalId: externalId.data ?? null,
  };
}

const itemIdSchema = z.uuid();

/**
 * Read the item's own id. A value that is not a UUID is a row error rather than a new item, because
 * it means that the cell was edited or that the column contains another tool's ids. Importing the
 * row as new would duplicate the item that this column exists to match.
 */
function readItemId(reader: RowReader): string | null {
  const raw = reader.cell("itemId")?.trim() ?? "";
  if (!raw) return null;
  if (itemIdSchema.safeParse(raw).success) return raw.toLowerCase();
  reader.fail(
    "itemId",
    rowProblem(
      "item_id_not_uuid",
      { value: raw },
      `Rankwise id "${raw}" is not a UUID. Clear the cell to import the row as a new item, or leave the column unmapped`,
    ),
  );
  return null;
}

function readStatus(reader: RowReader): ItemStatus | null {
  const raw = reader.cell("status")?.trim() ?? "";
  if (!raw) return null;
  const status = parseStatus(raw);
  if (!status) {
    const message = `status "${raw}" is not one of idea, planned, in progress, done, dropped`;
    reader.fail("status", rowProblem("status_unknown", { value: raw }, message));
  }
  return status;
}

/** Links are separated by spaces, line breaks or `|`, because URLs may contain commas. */
function readLinks(reader: RowReader): string[] {
  const links = (reader.cell("links") ?? "").split(/[\s|]+/).filter((part) => part.length > 0);
  if (links.length > ITEM_LIMITS.links) {
    const max = ITEM_LIMITS.links;
    reader.fail("links", rowProblem("too_many_links", { max }, `has more than ${max} links`));
  }
  for (const link of links) {
    const issue = firstIssue(itemLinkSchema.safeParse(link));
    if (issue) reader.fail("links", describeLinkIssue(link, issue));
  }
  return links;
}

function readInputs(reader: RowReader, mapping: ColumnMapping): Partial<Record<InputName, number>> {
  const inputs: Partial<Record<InputName, number>> = {};
  for (const field of Object.keys(mapping) as ImportField[]) {
    if (!isInputField(field)) continue;
    const raw = reader.cell(field)?.trim() ?? "";
    if (!raw) continue;
    const parsed = parseInputCell(field, raw);
    if (typeof parsed === "number") inputs[field] = parsed;
    else reader.fail(field, parsed);
  }
  return inputs;
}

/**
 * Report cells past the last header, which no column can map and which would be dropped without
 * notice. Blank trailing cells, as a trailing separator leaves, are not counted.
 */
function checkExtraCells(table: CsvTable, cells: string[], rowNumber: number): RowError | null {
  let used = cells.length;
  while (used > table.headers.length && (cells[used - 1] ?? "").trim() === "") used--;
  if (used <= table.headers.length) return null;

  const columns = table.headers.length;
  const message = `has ${used} cells but the header row has ${columns} columns; remove the extra cells, or quote values that contain the separator`;
  return {
    row: rowNumber,
    column: String(columns + 1),
    field: null,
    ...echoCell(cells.slice(columns, used).join(table.delimiter)),
    ...rowProblem("too_many_cells", { cells: used, columns }, message),
  };
}

/**
 * Validate every data row against the mapping. Blank optional cells are skipped; each error
 * names the spreadsheet row number and the column. An id or Rankwise id that repeats within the
 * file is an error on the later rows, and so is a Rankwise id that is not a UUID. A row with
 * non-blank cells past the last header is an error too.
 */
export function validateImportRows(table: CsvTable, mapping: ColumnMapping): RowValidation {
  const rows: ImportRow[] = [];
  const errors: RowError[] = [];
  const seenIds = new Map<string, number>();
  const seenItemIds = new Map<string, number>();

  table.rows.forEach((cells, index) => {
    const rowNumber = index + 2;
    const reader = createRowReader(table, mapping, cells, rowNumber);
    const extraCells = checkExtraCells(table, cells, rowNumber);
    if (extraCells) reader.errors.push(extraCells);

    const itemId = readItemId(reader);
    if (itemId) {
      const firstRow = seenItemIds.get(itemId);
      if (firstRow !== undefined) {
        const message = `Rankwise id "${itemId}" already appears in row ${firstRow}`;
        reader.fail("itemId", rowProblem("item_id_repeated", { value: itemId, firstRow }, message));
      } else {
        seenItemIds.set(itemId, rowNumber);
      }
    }
    const text = readTextFields(reader);
    if (text.externalId) {
      const firstRow = seenIds.get(text.externalId);
      if (firstRow !== undefined) {
        const message = `id "${text.externalId}" already appears in row ${firstRow}`;
        reader.fail("externalId", rowProblem("external_id_repeated", { value: text.externalId, firstRow }, message));
      } else {
        seenIds.set(text.externalId, rowNumber);
      }
    }
    const status = readStatus(reader);
    const links = readLinks(reader);
    const inputs = readInputs(reader, mapping);

    if (reader.errors.length > 0) errors.push(...reader.errors);
    else rows.push({ row: rowNumber, itemId, ...text, status, links, inputs });
  });

  const invalidRows = [...new Set(errors.map((error) => error.row))];
  return { rows, errors, invalidRows };
}

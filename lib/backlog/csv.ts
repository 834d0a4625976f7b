import Papa from "papaparse";
import { AppError } from "@/lib/errors";

/** Largest CSV accepted, in bytes (50 MiB), checked before decoding. */
export const MAX_CSV_BYTES = 50 * 1024 * 1024;
/** Most data rows (the header row excluded) one import accepts. */
export const MAX_CSV_ROWS = 100_000;

/** A parsed CSV file: the header row and the data rows, every cell as text. */
export interface CsvTable {
  headers: string[];
  rows: string[][];
  /** The separator found in the file: `,`, `;` or a tab. */
  delimiter: string;
}

/**
 * An error about the uploaded file. `params` are the facts of the message, for clients that word
 * it in another language, and `reason` distinguishes messages that share a code.
 */
function csvError(
  status: number,
  code: string,
  message: string,
  extra: { params?: Record<string, string | number>; reason?: string } = {},
): AppError {
  return new AppError(status, code, message, { field: "file", ...extra });
}

/** Byte offset of the first invalid UTF-8 sequence, or -1 when the bytes are valid UTF-8. */
export function findInvalidUtf8(bytes: Uint8Array): number {
  let index = 0;
  while (index < bytes.length) {
    const lead = bytes[index] ?? 0;
    let length = 0;
    let minimum = 0;
    if (lead < 0x80) length = 1;
    else if (lead >= 0xc2 && lead <= 0xdf) [length, minimum] = [2, 0x80];
    else if (lead >= 0xe0 && lead <= 0xef) [length, minimum] = [3, 0x800];
    else if (lead >= 0xf0 && lead <= 0xf4) [length, minimum] = [4, 0x10000];
    else return index;

    if (index + length > bytes.length) return index;
    let codePoint = length === 1 ? lead : lead & (0xff >> (length + 1));
    for (let offset = 1; offset < length; offset++) {
      const next = bytes[index + offset] ?? 0;
      if ((next & 0xc0) !== 0x80) return index;
      codePoint = (codePoint << 6) | (next & 0x3f);
    }
    // Overlong forms, UTF-16 surrogates and code points past U+10FFFF are invalid UTF-8.
    if (length > 1 && (codePoint < minimum || codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff))) {
      return index;
    }
    index += length;
  }
  return -1;
}

function lineOfOffset(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let index = 0; index < offset; index++) if (bytes[index] === 0x0a) line++;
  return line;
}

/** Zip archives (xlsx, ods) and other binary formats a user may rename to `.csv` by mistake. */
function detectBinaryKind(bytes: Uint8Array): "workbook" | "pdf" | "binary" {
  const signature = String.fromCharCode(...bytes.subarray(0, 4));
  if (signature === "PK\u0003\u0004") return "workbook";
  if (signature.startsWith("%PDF")) return "pdf";
  return "binary";
}

const binaryDescriptions = {
  workbook: "an Excel or OpenDocument workbook (a zip archive)",
  pdf: "a PDF document",
  binary: "a binary file",
} as const;

/**
 * Decode uploaded bytes as UTF-8 text without a byte order mark. Rejects files over
 * MAX_CSV_BYTES, UTF-16 text with a byte order mark, binary files (any NUL byte, or a PDF or zip
 * signature) and invalid UTF-8, each with a message on how to fix the file.
 */
export function decodeCsvBytes(bytes: Uint8Array): string {
  if (bytes.length > MAX_CSV_BYTES) {
    throw csvError(
      413,
      "csv_too_large",
      `The file is ${bytes.length} bytes; the limit is ${MAX_CSV_BYTES} bytes (50 MiB). Split it into smaller files.`,
      { params: { bytes: bytes.length, maxBytes: MAX_CSV_BYTES } },
    );
  }
  // A spreadsheet's "Unicode text" export is UTF-16 with a byte order mark. Its NUL bytes would
  // otherwise make it look like a binary file.
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw csvError(400, "csv_invalid_utf8", 'The file is UTF-16 text. Save it as "CSV UTF-8" and upload it again.', {
      reason: "csv_utf16",
    });
  }
  const signature = String.fromCharCode(...bytes.subarray(0, 4));
  if (bytes.includes(0) || signature === "PK\u0003\u0004" || signature === "%PDF") {
    const kind = detectBinaryKind(bytes);
    throw csvError(
      400,
      "csv_binary",
      `The file is ${binaryDescriptions[kind]}, not CSV text. Export the sheet as "CSV UTF-8" and upload that file.`,
      { params: { kind } },
    );
  }
  const invalidAt = findInvalidUtf8(bytes);
  if (invalidAt >= 0) {
    const line = lineOfOffset(bytes, invalidAt);
    throw csvError(
      400,
      "csv_invalid_utf8",
      `The file is not valid UTF-8 (first invalid byte on line ${line}). Save it as "CSV UTF-8" and upload it again.`,
      { params: { line } },
    );
  }
  const text = new TextDecoder("utf-8").decode(bytes);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * Parse CSV text: RFC 4180 quoting (commas, doubled quotes and line breaks inside quoted fields),
 * separator detected among `,`, `;` and tab, blank lines skipped. The first row is the header.
 */
export function parseCsvText(text: string): CsvTable {
  const input = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const result = Papa.parse<string[]>(input, {
    delimiter: "",
    delimitersToGuess: [",", ";", "\t"],
    skipEmptyLines: "greedy",
    // One row past the limit is enough to know the file is too long, without parsing the rest.
    preview: MAX_CSV_ROWS + 2,
  });

  const unterminated = result.errors.find((error) => error.code === "MissingQuotes");
  if (unterminated) {
    const row = (unterminated.row ?? 0) + 1;
    throw csvError(
      400,
      "csv_malformed",
      `A quoted field that starts in row ${row} is never closed. Add the missing ".`,
      { params: { row } },
    );
  }

  const [headerRow, ...rows] = result.data;
  if (!headerRow || headerRow.every((cell) => cell.trim() === "")) {
    throw csvError(400, "csv_empty", "The file is empty. Upload a CSV with a header row and at least one item.");
  }
  if (rows.length > MAX_CSV_ROWS) {
    throw csvError(
      400,
      "csv_too_many_rows",
      `The file has more than ${MAX_CSV_ROWS} rows; the limit is ${MAX_CSV_ROWS}. Split it into smaller files.`,
      { params: { maxRows: MAX_CSV_ROWS } },
    );
  }
  if (rows.length === 0) {
    throw csvError(400, "csv_empty", "The file has a header row but no items.", { reason: "csv_no_items" });
  }
  return { headers: headerRow.map((cell) => cell.trim()), rows, delimiter: result.meta.delimiter };
}

/** Decode and parse an uploaded file; text is accepted as-is (a BOM is removed). */
export function parseCsv(input: Uint8Array | string): CsvTable {
  return parseCsvText(typeof input === "string" ? input : decodeCsvBytes(input));
}

/**
 * Text that gets an escaping apostrophe: a formula character (=, +, -, @, tab or carriage return)
 * after any number of apostrophes. Text that already starts with apostrophes and a formula
 * character gets one more, so that unescaping cannot mistake the text's own apostrophe for the
 * escape.
 */
const ESCAPED_CELL = /^'*[=+\-@\t\r]/;
/** An escaped cell: at least one apostrophe, then a formula character. */
const UNESCAPE_CELL = /^'+[=+\-@\t\r]/;

/**
 * Prefix text cells that a spreadsheet would run as a formula (starting with =, +, -, @, tab or
 * carriage return) with an apostrophe, the usual defence against CSV formula injection. Text
 * such as `'=x` gets an apostrophe too, so `unescapeCsvCell` returns every text unchanged.
 */
export function escapeCsvCell(value: string): string {
  return ESCAPED_CELL.test(value) ? `'${value}` : value;
}

/**
 * Undo `escapeCsvCell`: drop the first apostrophe of a cell that starts with apostrophes and a
 * formula character, so that importing this app's own export restores the text it exported.
 */
export function unescapeCsvCell(value: string): string {
  return UNESCAPE_CELL.test(value) ? value.slice(1) : value;
}

/** Write rows as RFC 4180 CSV with CRLF line ends; text cells are escaped against formula injection. */
export function formatCsv(headers: string[], rows: ReadonlyArray<ReadonlyArray<string | number | null>>): string {
  const cells = rows.map((row) =>
    row.map((cell) => (cell === null ? "" : typeof cell === "number" ? String(cell) : escapeCsvCell(cell))),
  );
  return Papa.unparse({ fields: headers, data: cells }, { newline: "\r\n", quotes: false });
}

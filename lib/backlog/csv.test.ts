import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import {
  decodeCsvBytes,
  escapeCsvCell,
  findInvalidUtf8,
  formatCsv,
  MAX_CSV_BYTES,
  MAX_CSV_ROWS,
  parseCsv,
  parseCsvText,
  unescapeCsvCell,
} from "./csv";
import { guessColumnMapping, normalizeHeader } from "./csv-mapping";
import { previewCsvImport, resolveMappingByHeader } from "./csv-preview";
import { parseInputCell, parseSpreadsheetNumber, parseStatus, validateImportRows } from "./csv-rows";

const encode = (text: string) => new TextEncoder().encode(text);

function captureError(action: () => unknown): AppError {
  try {
    action();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected an AppError");
}

describe("parseCsvText", () => {
  it("keeps commas, doubled quotes and line breaks inside quoted fields", () => {
    const table = parseCsvText('title,description\r\n"Export, fast","Say ""hi""\r\nthen go"\r\n');
    expect(table.rows).toEqual([["Export, fast", 'Say "hi"\r\nthen go']]);
  });

  it("detects a semicolon separator", () => {
    const table = parseCsvText("titre;portée\nExport;1 200\n");
    expect(table.delimiter).toBe(";");
    expect(table.headers).toEqual(["titre", "portée"]);
    expect(table.rows).toEqual([["Export", "1 200"]]);
  });

  it("detects a tab separator", () => {
    expect(parseCsvText("title\treach\nA\t5\n").delimiter).toBe("\t");
  });

  it("removes a byte order mark from text", () => {
    expect(parseCsvText("\uFEFFtitle\nA\n").headers).toEqual(["title"]);
  });

  it("skips blank lines", () => {
    expect(parseCsvText("title\n\nA\n  \nB\n").rows).toEqual([["A"], ["B"]]);
  });

  it("rejects an unterminated quoted field", () => {
    const error = captureError(() => parseCsvText('title,description\nA,"never closed\n'));
    expect(error.code).toBe("csv_malformed");
    expect(error.status).toBe(400);
    expect(error.message).toContain("row 2");
  });

  it("rejects an empty file", () => {
    expect(captureError(() => parseCsvText("")).code).toBe("csv_empty");
  });

  it("rejects a header without rows", () => {
    const error = captureError(() => parseCsvText("title,theme\n"));
    expect(error.code).toBe("csv_empty");
    expect(error.message).toContain("no items");
  });

  it("accepts exactly the row limit", () => {
    const text = `title\n${"A\n".repeat(MAX_CSV_ROWS)}`;
    expect(parseCsvText(text).rows).toHaveLength(MAX_CSV_ROWS);
  });

  it("rejects one row over the limit", () => {
    const text = `title\n${"A\n".repeat(MAX_CSV_ROWS + 1)}`;
    const error = captureError(() => parseCsvText(text));
    expect(error.code).toBe("csv_too_many_rows");
    expect(error.message).toContain("100000");
  });
});

describe("decodeCsvBytes", () => {
  it("removes a UTF-8 byte order mark", () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...encode("titre\nÉté\n")]);
    expect(decodeCsvBytes(bytes)).toBe("titre\nÉté\n");
  });

  it("rejects invalid UTF-8 with the line of the first bad byte", () => {
    // "Été" in Windows-1252, as a spreadsheet saves "CSV" on some systems.
    const bytes = new Uint8Array([...encode("title\nok\n"), 0xc9, 0x74, 0xe9, 0x0a]);
    const error = captureError(() => decodeCsvBytes(bytes));
    expect(error.code).toBe("csv_invalid_utf8");
    expect(error.status).toBe(400);
    expect(error.message).toContain("line 3");
  });

  it("rejects a workbook renamed to .csv", () => {
    const zip = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]);
    const error = captureError(() => decodeCsvBytes(zip));
    expect(error.code).toBe("csv_binary");
    expect(error.message).toContain("workbook");
  });

  it("rejects bytes containing NUL", () => {
    const error = captureError(() => decodeCsvBytes(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01])));
    expect(error.code).toBe("csv_binary");
  });

  it.each([
    ["little-endian", [0xff, 0xfe, 0x74, 0x00, 0x69, 0x00]],
    ["big-endian", [0xfe, 0xff, 0x00, 0x74, 0x00, 0x69]],
  ])("names %s UTF-16 text and asks for UTF-8", (_order, bytes) => {
    const error = captureError(() => decodeCsvBytes(new Uint8Array(bytes)));

    expect(error.code).toBe("csv_invalid_utf8");
    expect(error.status).toBe(400);
    expect(error.details).toMatchObject({ field: "file", reason: "csv_utf16" });
    expect(error.message).toContain("UTF-16");
    expect(error.message).toContain("CSV UTF-8");
  });

  it("rejects a file over the byte limit before reading it", () => {
    const error = captureError(() => decodeCsvBytes(new Uint8Array(MAX_CSV_BYTES + 1)));
    expect(error.code).toBe("csv_too_large");
    expect(error.status).toBe(413);
  });

  it("names the file field in errors", () => {
    expect(captureError(() => decodeCsvBytes(new Uint8Array([0]))).details).toMatchObject({ field: "file" });
  });

  it("sends the facts of its messages as params", () => {
    const zip = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]);
    const invalid = new Uint8Array([...encode("title\nA\n"), 0xff, 0x0a]);

    expect(captureError(() => decodeCsvBytes(zip)).details).toEqual({ field: "file", params: { kind: "workbook" } });
    expect(captureError(() => decodeCsvBytes(invalid)).details?.params).toEqual({ line: 3 });
    expect(captureError(() => parseCsvText("title\n")).details?.reason).toBe("csv_no_items");
  });
});

describe("findInvalidUtf8", () => {
  it("accepts multi-byte characters", () => {
    expect(findInvalidUtf8(encode("thème → 💡"))).toBe(-1);
  });

  it("finds an overlong encoding", () => {
    expect(findInvalidUtf8(new Uint8Array([0x41, 0xc0, 0xaf]))).toBe(1);
  });

  it("finds a truncated sequence at the end", () => {
    expect(findInvalidUtf8(new Uint8Array([0x41, 0xe2, 0x82]))).toBe(1);
  });

  it("finds an encoded surrogate", () => {
    expect(findInvalidUtf8(new Uint8Array([0xed, 0xa0, 0x80]))).toBe(0);
  });
});

describe("guessColumnMapping", () => {
  it("maps English headers", () => {
    const mapping = guessColumnMapping([
      "ID",
      "Title",
      "Description",
      "Theme",
      "Status",
      "Reach",
      "Impact",
      "Confidence",
      "Effort",
    ]);
    expect(mapping).toEqual({
      externalId: 0,
      title: 1,
      description: 2,
      theme: 3,
      status: 4,
      reach: 5,
      impact: 6,
      confidence: 7,
      effort: 8,
    });
  });

  it("maps French headers with accents", () => {
    const mapping = guessColumnMapping([
      "Titre",
      "Thème",
      "Statut",
      "Portée",
      "Confiance",
      "Facilité ICE",
      "Valeur métier",
    ]);
    expect(mapping).toMatchObject({
      title: 0,
      theme: 1,
      status: 2,
      reach: 3,
      confidence: 4,
      ice_ease: 5,
      business_value: 6,
    });
  });

  it("maps WSJF headers", () => {
    const mapping = guessColumnMapping([
      "Business value",
      "Time criticality",
      "Risk reduction / opportunity enablement",
      "Job size",
    ]);
    expect(mapping).toEqual({ business_value: 0, time_criticality: 1, risk_reduction: 2, job_size: 3 });
  });

  it("maps impact and confidence to ICE on ICE sheets", () => {
    const mapping = guessColumnMapping(["title", "impact", "confidence", "ease"]);
    expect(mapping).toEqual({ title: 0, ice_impact: 1, ice_confidence: 2, ice_ease: 3 });
  });

  it("maps the seed file's source_url column to links", () => {
    expect(guessColumnMapping(["id", "source_url"])).toEqual({ externalId: 0, links: 1 });
  });

  it("maps the export's rankwise_id and id columns", () => {
    expect(guessColumnMapping(["rankwise_id", "id", "title"])).toEqual({ itemId: 0, externalId: 1, title: 2 });
  });

  it("leaves export-only columns unmapped", () => {
    expect(guessColumnMapping(["reach_source", "rice_score"])).toEqual({});
  });

  it("normalises punctuation, case and accents", () => {
    expect(normalizeHeader("  Effort (mois-homme) ")).toBe("effort mois homme");
  });
});

describe("parseSpreadsheetNumber", () => {
  it.each([
    ["0,5", 0.5],
    ["0.5", 0.5],
    ["1 200", 1200],
    ["1\u00a0200,5", 1200.5],
    ["1.234,5", 1234.5],
    ["1,234.5", 1234.5],
    ["1,234,567", 1234567],
    ["1.234.567", 1234567],
    ["12,25", 12.25],
    ["-3", -3],
    ["1E+12", 1e12],
    ["1e308", 1e308],
    ["2.5e-1", 0.25],
  ])("parses %s as %d", (raw, expected) => {
    expect(parseSpreadsheetNumber(raw)).toBe(expected);
  });

  it("rejects 1,000 as ambiguous", () => {
    expect(parseSpreadsheetNumber("1,000")).toEqual({
      code: "number_ambiguous",
      params: { value: "1,000", thousands: 1000, decimal: 1 },
      message: expect.stringContaining("ambiguous"),
    });
  });

  it("rejects a number beyond doubles", () => {
    expect(parseSpreadsheetNumber("1e400")).toMatchObject({ code: "number_too_large", params: { value: "1e400" } });
  });

  it("rejects text", () => {
    expect(parseSpreadsheetNumber("lots")).toEqual({
      code: "not_a_number",
      params: { value: "lots" },
      message: '"lots" is not a number',
    });
  });
});

describe("parseInputCell", () => {
  it("reads confidence as a percentage", () => {
    expect(parseInputCell("confidence", "80 %")).toBe(80);
  });

  it("reads confidence as a fraction", () => {
    expect(parseInputCell("confidence", "0,8")).toBe(80);
  });

  it("rejects a percentage on another input", () => {
    expect(parseInputCell("reach", "80%")).toEqual({
      code: "percent_not_allowed",
      params: { input: "reach", value: "80%" },
      message: expect.stringContaining("plain number"),
    });
  });

  it("checks the input's scale", () => {
    expect(parseInputCell("impact", "1,5")).toEqual({
      code: "input_not_in_set",
      params: { input: "impact", value: 1.5, allowed: [0.25, 0.5, 1, 2, 3] },
      message: "expected one of 0.25, 0.5, 1, 2, 3 for impact, got 1.5",
    });
  });

  it("names the range of a range scale", () => {
    expect(parseInputCell("ice_ease", "11")).toMatchObject({
      code: "input_not_whole_in_range",
      params: { input: "ice_ease", value: 11, min: 1, max: 10 },
    });
    expect(parseInputCell("effort", "0,01")).toMatchObject({
      code: "input_not_in_range",
      params: { input: "effort", value: 0.01, min: 0.05, max: 1000 },
    });
  });

  it("reads a decimal comma effort", () => {
    expect(parseInputCell("effort", "0,5")).toBe(0.5);
  });
});

describe("parseStatus", () => {
  it.each([
    ["in progress", "in_progress"],
    ["En cours", "in_progress"],
    ["Terminé", "done"],
    ["Abandonné", "dropped"],
    ["Idée", "idea"],
    ["planned", "planned"],
  ])("reads %s as %s", (raw, expected) => {
    expect(parseStatus(raw)).toBe(expected);
  });

  it("returns null for an unknown status", () => {
    expect(parseStatus("someday")).toBeNull();
  });
});

describe("validateImportRows", () => {
  const table = parseCsvText(
    [
      "id;titre;thème;statut;portée;impact;confiance;effort",
      "X1;Export PDF;Export;planifié;1 200;2;80 %;0,5",
      "X2;;Export;;;;;",
      "X1;Doublon;;fini;beaucoup;1,5;;",
      "X3;Sans valeurs;;;;;;",
    ].join("\n"),
  );
  const result = validateImportRows(table, guessColumnMapping(table.headers));

  it("reads a valid French row with decimal commas", () => {
    expect(result.rows[0]).toEqual({
      row: 2,
      itemId: null,
      externalId: "X1",
      title: "Export PDF",
      description: "",
      theme: "Export",
      status: "planned",
      links: [],
      inputs: { reach: 1200, impact: 2, confidence: 80, effort: 0.5 },
    });
  });

  it("reports a missing title with row and column", () => {
    expect(result.errors).toContainEqual({
      row: 3,
      column: "titre",
      field: "title",
      value: "",
      code: "title_missing",
      params: {},
      message: "title is required",
    });
  });

  it("reports every error of a row", () => {
    const rowFour = result.errors.filter((error) => error.row === 4).map((error) => error.field);
    expect(rowFour).toEqual(["externalId", "status", "reach", "impact"]);
  });

  it("names the first row of a repeated id", () => {
    const duplicate = result.errors.find((error) => error.field === "externalId");
    expect(duplicate?.message).toBe('id "X1" already appears in row 2');
    expect(duplicate).toMatchObject({ code: "external_id_repeated", params: { value: "X1", firstRow: 2 } });
  });

  it("lists invalid rows once each", () => {
    expect(result.invalidRows).toEqual([3, 4]);
  });

  it("keeps a row with only a title and an id", () => {
    expect(result.rows.map((row) => row.externalId)).toEqual(["X1", "X3"]);
  });

  it("rejects a link that is not http", () => {
    const linkTable = parseCsvText("title,links\nA,ftp://example.com\nB,https://a.example/x | https://b.example/y\n");
    const links = validateImportRows(linkTable, guessColumnMapping(linkTable.headers));
    expect(links.errors[0]).toMatchObject({ row: 2, column: "links", message: expect.stringContaining("http") });
    expect(links.errors[0]).toMatchObject({ code: "link_not_http", params: { link: "ftp://example.com" } });
    expect(links.rows[0]?.links).toEqual(["https://a.example/x", "https://b.example/y"]);
  });

  it("reports a title over the length limit", () => {
    const long = parseCsvText(`title\n${"x".repeat(301)}\n`);
    const error = validateImportRows(long, { title: 0 }).errors[0];
    expect(error?.message).toBe("title must be at most 300 characters");
    expect(error).toMatchObject({ code: "text_too_long", params: { max: 300 } });
  });

  it("reads a Rankwise id in lower case", () => {
    const ids = parseCsvText("rankwise_id,title\n3F1C2B8E-5D4A-4E6F-9A7B-1C2D3E4F5A6B,A\n");
    expect(validateImportRows(ids, guessColumnMapping(ids.headers)).rows[0]?.itemId).toBe(
      "3f1c2b8e-5d4a-4e6f-9a7b-1c2d3e4f5a6b",
    );
  });

  it("reports a repeated Rankwise id on the later row", () => {
    const id = "3f1c2b8e-5d4a-4e6f-9a7b-1c2d3e4f5a6b";
    const ids = parseCsvText(`rankwise_id,title\n${id},A\n${id},B\n`);
    expect(validateImportRows(ids, guessColumnMapping(ids.headers)).errors).toEqual([
      {
        row: 3,
        column: "rankwise_id",
        field: "itemId",
        value: id,
        code: "item_id_repeated",
        params: { value: id, firstRow: 2 },
        message: `Rankwise id "${id}" already appears in row 2`,
      },
    ]);
  });

  it("reports cells past the last header", () => {
    const shifted = parseCsvText("title,impact,effort\nShifted row,1,2,3\nTrailing separator,1,2,\n");
    const result = validateImportRows(shifted, guessColumnMapping(shifted.headers));

    expect(result.errors).toEqual([
      {
        row: 2,
        column: "4",
        field: null,
        value: "3",
        code: "too_many_cells",
        params: { cells: 4, columns: 3 },
        message:
          "has 4 cells but the header row has 3 columns; remove the extra cells, or quote values that contain the separator",
      },
    ]);
    expect(result.rows.map((row) => row.title)).toEqual(["Trailing separator"]);
  });

  it("reports a row without a title column mapped", () => {
    const noTitle = parseCsvText("theme\nExport\n");
    expect(validateImportRows(noTitle, { theme: 0 }).errors[0]).toMatchObject({ column: "title", field: "title" });
  });
});

describe("previewCsvImport", () => {
  const table = parseCsvText(
    `title,notes\n${Array.from({ length: 30 }, (_, index) => `Item ${index},n`).join("\n")}\n`,
  );

  it("returns the first rows and the guessed mapping", () => {
    const preview = previewCsvImport(table, { sampleSize: 5 });
    expect(preview.sampleRows).toHaveLength(5);
    expect(preview.sampleRows[0]).toEqual(["Item 0", "n"]);
    expect(preview.mapping).toEqual({ title: 0 });
    expect(preview.rowCount).toBe(30);
  });

  it("lists headers no field uses", () => {
    expect(previewCsvImport(table).unmappedHeaders).toEqual(["notes"]);
  });

  it("counts valid and invalid rows", () => {
    const preview = previewCsvImport(table, { mapping: { title: 0, reach: 1 } });
    expect(preview.validRowCount).toBe(0);
    expect(preview.invalidRowCount).toBe(30);
    expect(preview.errors[0]?.column).toBe("notes");
  });
});

describe("resolveMappingByHeader", () => {
  it("resolves header names to column indexes", () => {
    expect(resolveMappingByHeader(["Name", "Size"], { title: "Name", job_size: "Size" })).toEqual({
      mapping: { title: 0, job_size: 1 },
      unknown: [],
    });
  });

  it("reports fields whose header is absent", () => {
    expect(resolveMappingByHeader(["Name"], { title: "Nom" }).unknown).toEqual(["title"]);
  });
});

describe("formatCsv", () => {
  it("quotes commas, quotes and line breaks and round-trips", () => {
    const text = formatCsv(["title", "reach"], [['Say "hi", then\ngo', 12]]);
    expect(parseCsvText(text).rows).toEqual([['Say "hi", then\ngo', "12"]]);
  });

  it("escapes cells a spreadsheet would run as formulas", () => {
    expect(escapeCsvCell("=HYPERLINK(1)")).toBe("'=HYPERLINK(1)");
    expect(escapeCsvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(escapeCsvCell("plain")).toBe("plain");
  });

  it("reads escaped cells back as they were", () => {
    const table = parseCsvText(formatCsv(["title", "theme"], [["=HYPERLINK(1)", "-notes"]]));
    const result = validateImportRows(table, guessColumnMapping(table.headers));

    expect(result.rows[0]?.title).toBe("=HYPERLINK(1)");
    expect(result.rows[0]?.theme).toBe("-notes");
  });

  it("escapes an apostrophe before a formula character", () => {
    expect(escapeCsvCell("'=literal")).toBe("''=literal");
    expect(escapeCsvCell("''+1")).toBe("'''+1");
    expect(escapeCsvCell("'plain")).toBe("'plain");
    expect(escapeCsvCell("it's =fine")).toBe("it's =fine");
  });

  it.each([
    "=SUM(A1:A3)",
    "'=literal apostrophe",
    "''=two apostrophes",
    "'+1",
    "'-1",
    "'@team",
    "+33 1 23",
    "-5 points",
    "@team",
    "'",
    "''",
    "'plain",
    "it's plain",
    "'\tafter an apostrophe",
    "\tstarts with a tab",
    "plain",
  ])("round-trips the text %j through a cell", (text) => {
    expect(unescapeCsvCell(escapeCsvCell(text))).toBe(text);
  });

  it("round-trips apostrophe cells through validation", () => {
    const titles = ["'=literal apostrophe", "''@mention", "'+1 vote", "'-minus", "'plain"];
    const table = parseCsvText(
      formatCsv(
        ["title", "description"],
        titles.map((title) => [title, title]),
      ),
    );
    const result = validateImportRows(table, guessColumnMapping(table.headers));

    expect(result.errors).toEqual([]);
    expect(result.rows.map((row) => row.title)).toEqual(titles);
    expect(result.rows.map((row) => row.description)).toEqual(titles);
  });

  it("keeps formula cells escaped after an apostrophe", () => {
    const text = formatCsv(["title"], [["'=literal apostrophe"], ["=SUM(A1)"]]);

    expect(parseCsvText(text).rows).toEqual([["''=literal apostrophe"], ["'=SUM(A1)"]]);
  });

  it("writes numbers as they are", () => {
    expect(formatCsv(["score"], [[-1.5]])).toBe("score\r\n-1.5");
  });
});

describe("seed backlog file", () => {
  const bytes = fs.readFileSync(path.join(process.cwd(), "db/seed/backlog-en.csv"));
  const table = parseCsv(new Uint8Array(bytes));
  const mapping = guessColumnMapping(table.headers);
  const result = validateImportRows(table, mapping);

  it("parses 60 rows", () => {
    expect(table.rows).toHaveLength(60);
  });

  it("maps every column", () => {
    expect(mapping).toEqual({ externalId: 0, title: 1, description: 2, theme: 3, links: 4 });
  });

  it("validates without errors", () => {
    expect(result.errors).toEqual([]);
    expect(result.rows).toHaveLength(60);
  });

  it("keeps quoted descriptions intact", () => {
    expect(result.rows[0]?.description).toContain('"export charts as image"');
    expect(result.rows[0]?.externalId).toBe("A01");
    expect(result.rows[0]?.links).toEqual(["https://github.com/metabase/metabase/issues/28547"]);
  });
});

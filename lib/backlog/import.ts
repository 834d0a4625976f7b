import type { Db } from "@/db/client";
import {
  insertAuditEntries,
  insertBacklogItems,
  listBacklogItems,
  type NewItemFields,
  updateBacklogItem,
} from "@/db/queries/backlog";
import { insertItemInputs, listLatestInputRows, type NewItemInput } from "@/db/queries/backlog-inputs";
import type { BacklogItem } from "@/db/schema";
import { AppError, badRequest } from "@/lib/errors";
import type { InputName } from "@/lib/prioritization/scales";
import { parseCsv } from "./csv";
import { type ColumnMapping, guessColumnMapping } from "./csv-mapping";
import { MAX_LISTED_ROW_ERRORS } from "./csv-preview";
import { type ImportRow, type RowError, validateImportRows } from "./csv-rows";

/** Handling of a row whose id matches a live item: update the item, skip the row, or report a row error. */
export type ExistingItemMode = "update" | "skip" | "error";

export interface ImportOptions {
  workspaceId: string;
  actorId: string | null;
  csv: Uint8Array | string;
  /** Column per field; guessed from the headers when omitted. */
  mapping?: ColumnMapping;
  /** Import the valid rows and leave out the invalid ones, instead of importing nothing. */
  skipInvalid?: boolean;
  onExisting?: ExistingItemMode;
  /** Check and count everything, then write nothing. */
  dryRun?: boolean;
}

export interface ImportResult {
  dryRun: boolean;
  rowCount: number;
  created: number;
  updated: number;
  /** Rows matching a live item whose fields and inputs are already the same. */
  unchanged: number;
  /** Rows matching a live item, left alone with `onExisting: "skip"`. */
  skippedExisting: number;
  /** Invalid rows left out with `skipInvalid`. */
  skippedInvalid: number;
  /** Import-source input values written. */
  inputsRecorded: number;
  errorCount: number;
  /** The first row errors, in row order. */
  errors: RowError[];
}

class DryRunRollback extends Error {
  constructor(readonly result: ImportResult) {
    super("dry run");
  }
}

function rowErrorsError(errors: RowError[], invalidRows: number): AppError {
  const first = errors[0];
  const example = first ? ` First: row ${first.row}, column "${first.column}": ${first.message}.` : "";
  return new AppError(
    400,
    "invalid_rows",
    `${invalidRows} row(s) have errors, so nothing was imported. Fix them, or import again with skipInvalid to leave them out.${example}`,
    { field: "file", errorCount: errors.length, errors: errors.slice(0, MAX_LISTED_ROW_ERRORS) },
  );
}

function itemFields(row: ImportRow): NewItemFields {
  const { externalId, title, description, theme, links } = row;
  return { externalId, title, description, theme, links, status: row.status ?? "idea" };
}

function importInputRows(workspaceId: string, actorId: string | null, itemId: string, inputs: ImportRow["inputs"]) {
  return (Object.entries(inputs) as [InputName, number][]).map(
    ([input, value]): NewItemInput => ({
      workspaceId,
      itemId,
      input,
      value,
      source: "import",
      status: "active",
      authorId: actorId,
    }),
  );
}

/** Collect the fields of a row that differ from the item, limited to the mapped columns. */
function changedFields(item: BacklogItem, row: ImportRow, mapping: ColumnMapping): Partial<NewItemFields> {
  const patch: Partial<NewItemFields> = {};
  if (item.title !== row.title) patch.title = row.title;
  if (mapping.description !== undefined && item.description !== row.description) patch.description = row.description;
  if (mapping.theme !== undefined && item.theme !== row.theme) patch.theme = row.theme;
  if (row.status && item.status !== row.status) patch.status = row.status;
  if (mapping.links !== undefined && JSON.stringify(item.links) !== JSON.stringify(row.links)) patch.links = row.links;
  return patch;
}

/**
 * Import backlog items from CSV in one transaction: all rows or none. Rows with errors stop the
 * import with every error listed, unless `skipInvalid` leaves them out. Rows whose id matches a
 * live item update it (default), are skipped, or are errors, by `onExisting`. Input values are
 * recorded with source `import`; on an update, only values that differ from the item's latest
 * imported value are recorded.
 */
export async function importBacklogCsv(db: Db, options: ImportOptions): Promise<ImportResult> {
  const table = parseCsv(options.csv);
  const mapping = options.mapping ?? guessColumnMapping(table.headers);
  if (mapping.title === undefined) {
    throw badRequest(`No column is mapped to the title. Columns found: ${table.headers.join(", ")}.`, {
      field: "mapping.title",
    });
  }
  const validation = validateImportRows(table, mapping);
  if (validation.errors.length > 0 && !options.skipInvalid) {
    throw rowErrorsError(validation.errors, validation.invalidRows.length);
  }

  try {
    return await db.transaction(async (tx) => {
      const context = { mapping, headers: table.headers };
      const result = await writeImport(tx, options, context, validation.rows, validation.errors);
      if (options.dryRun) throw new DryRunRollback(result);
      return result;
    });
  } catch (error) {
    if (error instanceof DryRunRollback) return error.result;
    throw error;
  }
}

interface ImportContext {
  mapping: ColumnMapping;
  headers: string[];
}

/** Split valid rows into new items and matches of live items; with `onExisting: "error"` matches are row errors. */
async function partitionRows(db: Db, options: ImportOptions, context: ImportContext, validRows: ImportRow[]) {
  const mode = options.onExisting ?? "update";
  const externalIds = validRows.flatMap((row) => (row.externalId ? [row.externalId] : []));
  const items = await listBacklogItems(db, { workspaceId: options.workspaceId, externalIds });
  const existing = new Map(items.map((item) => [item.externalId ?? "", item]));
  const idColumn =
    context.mapping.externalId === undefined ? "id" : (context.headers[context.mapping.externalId] ?? "id");

  const fresh: ImportRow[] = [];
  const matched: [ImportRow, BacklogItem][] = [];
  const existingErrors: RowError[] = [];
  for (const row of validRows) {
    const item = row.externalId ? existing.get(row.externalId) : undefined;
    if (!item) fresh.push(row);
    else if (mode === "update") matched.push([row, item]);
    else if (mode === "error") {
      existingErrors.push({
        row: row.row,
        column: idColumn,
        field: "externalId",
        value: row.externalId ?? "",
        message: `id "${row.externalId}" already belongs to item #${item.number}`,
      });
    }
  }
  return {
    fresh,
    matched,
    existingErrors,
    skippedExisting: mode === "skip" ? validRows.length - fresh.length - matched.length : 0,
  };
}

function countRows(errors: RowError[]): number {
  return new Set(errors.map((error) => error.row)).size;
}

async function writeImport(
  db: Db,
  options: ImportOptions,
  context: ImportContext,
  validRows: ImportRow[],
  rowErrors: RowError[],
): Promise<ImportResult> {
  const { workspaceId, actorId } = options;
  const { fresh, matched, existingErrors, skippedExisting } = await partitionRows(db, options, context, validRows);
  const errors = [...rowErrors, ...existingErrors].sort((a, b) => a.row - b.row);
  if (existingErrors.length > 0 && !options.skipInvalid) throw rowErrorsError(errors, countRows(errors));

  const created = await insertBacklogItems(db, { workspaceId, createdById: actorId, items: fresh.map(itemFields) });
  const createdInputs = created.flatMap((item, index) =>
    importInputRows(workspaceId, actorId, item.id, fresh[index]?.inputs ?? {}),
  );
  const { updated, unchanged, updateInputs } = await applyUpdates(db, options, context.mapping, matched);
  await insertItemInputs(db, [...createdInputs, ...updateInputs]);

  const result: ImportResult = {
    dryRun: options.dryRun ?? false,
    rowCount: validRows.length + countRows(rowErrors),
    created: created.length,
    updated,
    unchanged,
    skippedExisting,
    skippedInvalid: countRows(errors),
    inputsRecorded: createdInputs.length + updateInputs.length,
    errorCount: errors.length,
    errors: errors.slice(0, MAX_LISTED_ROW_ERRORS),
  };
  const summary = { ...result, errors: undefined };
  await insertAuditEntries(db, [
    { workspaceId, actorId, action: "backlog.import", entityType: "workspace", entityId: workspaceId, after: summary },
  ]);
  return result;
}

async function applyUpdates(
  db: Db,
  options: ImportOptions,
  mapping: ColumnMapping,
  matched: [ImportRow, BacklogItem][],
) {
  const { workspaceId, actorId } = options;
  const latest = await listLatestInputRows(db, { workspaceId, itemIds: matched.map(([, item]) => item.id) });
  const importedValue = new Map(
    latest.filter((row) => row.source === "import").map((row) => [`${row.itemId}:${row.input}`, row.value]),
  );

  let updated = 0;
  let unchanged = 0;
  const updateInputs: NewItemInput[] = [];
  for (const [row, item] of matched) {
    const newInputs = Object.fromEntries(
      Object.entries(row.inputs).filter(([input, value]) => importedValue.get(`${item.id}:${input}`) !== value),
    );
    updateInputs.push(...importInputRows(workspaceId, actorId, item.id, newInputs));

    const patch = changedFields(item, row, mapping);
    if (Object.keys(patch).length > 0) {
      await updateBacklogItem(db, { workspaceId, itemId: item.id, expectedVersion: item.version, patch });
      updated++;
    } else if (Object.keys(newInputs).length > 0) updated++;
    else unchanged++;
  }
  return { updated, unchanged, updateInputs };
}

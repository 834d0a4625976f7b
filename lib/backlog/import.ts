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
 * imported value are recorded. A dry run reads the same rows and counts what the import would
 * write, without writing.
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
  const context = { mapping, headers: table.headers };

  if (options.dryRun) {
    const plan = await db.transaction((tx) => planImport(tx, options, context, validation.rows, validation.errors), {
      isolationLevel: "repeatable read",
      accessMode: "read only",
    });
    return summarize(options, plan);
  }
  return db.transaction(async (tx) => {
    const plan = await planImport(tx, options, context, validation.rows, validation.errors);
    await writeImport(tx, options, plan);
    const result = summarize(options, plan);
    const summary = { ...result, errors: undefined };
    await insertAuditEntries(tx, [
      {
        workspaceId: options.workspaceId,
        actorId: options.actorId,
        action: "backlog.import",
        entityType: "workspace",
        entityId: options.workspaceId,
        after: summary,
      },
    ]);
    return result;
  });
}

interface ImportContext {
  mapping: ColumnMapping;
  headers: string[];
}

/** A matched live item and what its row changes: fields to patch and import values that differ. */
interface PlannedUpdate {
  item: BacklogItem;
  patch: Partial<NewItemFields>;
  inputs: ImportRow["inputs"];
}

/** Plan of an import: the writes worked out from the rows and the workspace's current items. */
interface ImportPlan {
  /** Rows that create items. */
  fresh: ImportRow[];
  updates: PlannedUpdate[];
  unchanged: number;
  skippedExisting: number;
  /** Rows in the file, valid or not. */
  rowCount: number;
  /** Row errors in row order, those of the rows' own values and those of matches. */
  errors: RowError[];
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

/** Work out what the import changes. Reads only, so a dry run and the import share it. */
async function planImport(
  db: Db,
  options: ImportOptions,
  context: ImportContext,
  validRows: ImportRow[],
  rowErrors: RowError[],
): Promise<ImportPlan> {
  const { fresh, matched, existingErrors, skippedExisting } = await partitionRows(db, options, context, validRows);
  const errors = [...rowErrors, ...existingErrors].sort((a, b) => a.row - b.row);
  if (existingErrors.length > 0 && !options.skipInvalid) throw rowErrorsError(errors, countRows(errors));

  const latest = await listLatestInputRows(db, {
    workspaceId: options.workspaceId,
    itemIds: matched.map(([, item]) => item.id),
  });
  const importedValue = new Map(
    latest.filter((row) => row.source === "import").map((row) => [`${row.itemId}:${row.input}`, row.value]),
  );
  const updates: PlannedUpdate[] = [];
  let unchanged = 0;
  for (const [row, item] of matched) {
    const inputs = Object.fromEntries(
      Object.entries(row.inputs).filter(([input, value]) => importedValue.get(`${item.id}:${input}`) !== value),
    );
    const patch = changedFields(item, row, context.mapping);
    if (Object.keys(patch).length > 0 || Object.keys(inputs).length > 0) updates.push({ item, patch, inputs });
    else unchanged++;
  }
  return {
    fresh,
    updates,
    unchanged,
    skippedExisting,
    rowCount: validRows.length + countRows(rowErrors),
    errors,
  };
}

function summarize(options: ImportOptions, plan: ImportPlan): ImportResult {
  const inputCount = (inputs: ImportRow["inputs"]) => Object.keys(inputs).length;
  return {
    dryRun: options.dryRun ?? false,
    rowCount: plan.rowCount,
    created: plan.fresh.length,
    updated: plan.updates.length,
    unchanged: plan.unchanged,
    skippedExisting: plan.skippedExisting,
    skippedInvalid: countRows(plan.errors),
    inputsRecorded:
      plan.fresh.reduce((sum, row) => sum + inputCount(row.inputs), 0) +
      plan.updates.reduce((sum, update) => sum + inputCount(update.inputs), 0),
    errorCount: plan.errors.length,
    errors: plan.errors.slice(0, MAX_LISTED_ROW_ERRORS),
  };
}

/** Write a plan: new items, patched items, then every import value. */
async function writeImport(db: Db, options: ImportOptions, plan: ImportPlan): Promise<void> {
  const { workspaceId, actorId } = options;
  const created = await insertBacklogItems(db, {
    workspaceId,
    createdById: actorId,
    items: plan.fresh.map(itemFields),
  });
  const inputs = created.flatMap((item, index) =>
    importInputRows(workspaceId, actorId, item.id, plan.fresh[index]?.inputs ?? {}),
  );
  for (const { item, patch, inputs: changed } of plan.updates) {
    if (Object.keys(patch).length > 0) {
      await updateBacklogItem(db, { workspaceId, itemId: item.id, expectedVersion: item.version, patch });
    }
    inputs.push(...importInputRows(workspaceId, actorId, item.id, changed));
  }
  await insertItemInputs(db, inputs);
}

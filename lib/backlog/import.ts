import type { Db } from "@/db/client";
import {
  insertAuditEntries,
  insertBacklogItems,
  listBacklogItems,
  type NewItemFields,
  updateBacklogItem,
} from "@/db/queries/backlog";
import {
  insertItemInputs,
  type LatestInputRow,
  listLatestInputRows,
  type NewItemInput,
} from "@/db/queries/backlog-inputs";
import type { BacklogItem } from "@/db/schema";
import { AppError, badRequest, conflict } from "@/lib/errors";
import { findDatabaseError, isUniqueViolationOf } from "@/lib/http/database-error";
import { logger } from "@/lib/logger";
import { resolveEffectiveInputs } from "@/lib/prioritization/effective";
import type { InputName } from "@/lib/prioritization/scales";
import { type CsvTable, parseCsv } from "./csv";
import { type ColumnMapping, guessColumnMappingOrThrow, type ImportField } from "./csv-mapping";
import { buildCsvPreview, type CsvPreview, MAX_LISTED_ROW_ERRORS } from "./csv-preview";
import { rowProblem } from "./csv-row-problems";
import { type ImportRow, type RowError, validateImportRows } from "./csv-rows";
import { groupByItem } from "./view";

/**
 * Handling of a row whose Rankwise id or id matches a live item: update the item, skip the row, or
 * report a row error.
 */
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
    {
      field: "file",
      errorCount: errors.length,
      errors: errors.slice(0, MAX_LISTED_ROW_ERRORS),
      params: { invalidRows },
    },
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

/**
 * Collect the fields of a row that differ from the item, limited to the mapped columns. The id
 * differs only in a row matched by Rankwise id, whose id cell was edited.
 */
function changedFields(item: BacklogItem, row: ImportRow, mapping: ColumnMapping): Partial<NewItemFields> {
  const patch: Partial<NewItemFields> = {};
  if (mapping.externalId !== undefined && item.externalId !== row.externalId) patch.externalId = row.externalId;
  if (item.title !== row.title) patch.title = row.title;
  if (mapping.description !== undefined && item.description !== row.description) patch.description = row.description;
  if (mapping.theme !== undefined && item.theme !== row.theme) patch.theme = row.theme;
  if (row.status && item.status !== row.status) patch.status = row.status;
  if (mapping.links !== undefined && JSON.stringify(item.links) !== JSON.stringify(row.links)) patch.links = row.links;
  return patch;
}

/**
 * Import backlog items from CSV in one transaction: all rows or none. Rows with errors stop the
 * import with every error listed, unless `skipInvalid` leaves them out.
 *
 * A row matches a live item of the workspace by its Rankwise id (the item's UUID, which the export
 * writes), else by its id. So importing the workspace's own export creates nothing. A Rankwise id
 * that matches no live item of the workspace (unknown, deleted, or another workspace's) is a row
 * error, and another workspace's items are never read or changed. Matching rows update the item
 * (default), are skipped, or are errors, by `onExisting`.
 *
 * Input values are recorded with source `import`. On an update, a value is recorded only when it
 * differs from both the item's latest imported value and its effective value. A dry run reads the
 * same rows and counts what the import would write, without writing.
 *
 * Another writer can save one of the file's ids, or change or delete a matched item, between the
 * import's read and its write. The import then rolls back and plans again from the committed
 * items, up to MAX_IMPORT_ATTEMPTS times. After that it throws a 409, and nothing is written.
 */
export async function importBacklogCsv(db: Db, options: ImportOptions): Promise<ImportResult> {
  const table = parseCsv(options.csv);
  const mapping = options.mapping ?? guessColumnMappingOrThrow(table.headers);
  if (mapping.title === undefined) {
    const columns = table.headers.join(", ");
    throw badRequest(`No column is mapped to the title. Columns found: ${columns}.`, {
      field: "mapping.title",
      reason: "csv_title_unmapped",
      params: { columns },
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
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(async (tx) => {
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
    } catch (error) {
      const race = classifyRace(error);
      if (!race) throw error;
      if (attempt >= MAX_IMPORT_ATTEMPTS) throw raceLostError(race);
      logger.warn(
        { workspaceId: options.workspaceId, attempt, race, database: findDatabaseError(error) },
        "backlog import raced another writer and was rolled back; planning it again",
      );
    }
  }
}

/** Attempts of an import that keeps racing other writers before it gives up with a 409. */
export const MAX_IMPORT_ATTEMPTS = 3;

/** Unique index on a live item's id within its workspace. */
const EXTERNAL_ID_INDEX = "backlog_item_external_id_key";

/** Thrown inside the import's transaction when a matched item changed after the import read it. */
class ItemChangedDuringImport extends Error {
  constructor(readonly itemNumber: number) {
    super(`item #${itemNumber} changed or was deleted after the import read it`);
    this.name = "ItemChangedDuringImport";
  }
}

type ImportRace = "external_id_taken" | "item_changed";

/** Tell which race with another writer made the import fail, or null for any other error. */
function classifyRace(error: unknown): ImportRace | null {
  if (error instanceof ItemChangedDuringImport) return "item_changed";
  if (isUniqueViolationOf(error, EXTERNAL_ID_INDEX)) return "external_id_taken";
  return null;
}

function raceLostError(race: ImportRace): AppError {
  if (race === "external_id_taken") {
    return new AppError(
      409,
      "duplicate_external_id",
      "Other changes saved items with ids from this file while it was being imported, so nothing was imported. Import the file again to update those items.",
      { field: "file", reason: "import_external_id_conflict" },
    );
  }
  return conflict(
    "Items that this file updates were changed or deleted while it was being imported, so nothing was imported. Import the file again.",
    { field: "file", reason: "import_item_changed" },
  );
}

/**
 * Preview an import for the import screen. The errors are the rows' own problems and those found
 * against the workspace's live items, such as a Rankwise id of a deleted item or an id that
 * another item has. They are those of an import with `onExisting: "update"`. Reads only.
 */
export async function previewBacklogCsvImport(
  db: Db,
  options: { workspaceId: string; table: CsvTable; mapping?: ColumnMapping; sampleSize?: number },
): Promise<CsvPreview> {
  const { table } = options;
  const mapping = options.mapping ?? guessColumnMappingOrThrow(table.headers);
  const validation = validateImportRows(table, mapping);
  const context = { mapping, headers: table.headers };
  const { existingErrors } = await db.transaction(
    (tx) => partitionRows(tx, { workspaceId: options.workspaceId }, context, validation.rows),
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );

  const failedRows = new Set(existingErrors.map((error) => error.row));
  const errors = [...validation.errors, ...existingErrors].sort((a, b) => a.row - b.row);
  return buildCsvPreview(
    table,
    mapping,
    {
      rows: validation.rows.filter((row) => !failedRows.has(row.row)),
      errors,
      invalidRows: [...new Set(errors.map((error) => error.row))],
    },
    options.sampleSize,
  );
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

/** Header of the field's column, or the field name when the column is unmapped or has no header. */
function columnName(context: ImportContext, field: ImportField): string {
  const index = context.mapping[field];
  return (index === undefined ? undefined : context.headers[index]) || field;
}

type MatchField = "itemId" | "externalId";

/** A live item that a row matches, and the field it matched on. */
interface RowMatch {
  item: BacklogItem;
  field: MatchField;
}

/**
 * Find the live item of the workspace that a row updates: the item with the row's Rankwise id,
 * else the item with the row's id. Items with the rows' Rankwise ids are read deleted or not, so
 * that the row error of a deleted item can name it (see unmatchedItemIdError).
 */
async function loadMatchCandidates(db: Db, workspaceId: string, validRows: ImportRow[]) {
  const itemIds = validRows.flatMap((row) => (row.itemId ? [row.itemId] : []));
  const externalIds = validRows.flatMap((row) => (row.externalId ? [row.externalId] : []));
  const byItemId = new Map(
    (await listBacklogItems(db, { workspaceId, itemIds, deleted: "include" })).map((item) => [item.id, item]),
  );
  const byExternalId = new Map(
    (await listBacklogItems(db, { workspaceId, externalIds })).map((item) => [item.externalId ?? "", item]),
  );
  return {
    byExternalId,
    /** Return the workspace's item with this Rankwise id, deleted or not. */
    itemWithId(itemId: string): BacklogItem | undefined {
      return byItemId.get(itemId);
    },
    match(row: ImportRow): RowMatch | undefined {
      const byOwnId = row.itemId ? byItemId.get(row.itemId) : undefined;
      if (byOwnId && byOwnId.deletedAt === null) return { item: byOwnId, field: "itemId" };
      const byExternal = row.externalId ? byExternalId.get(row.externalId) : undefined;
      return byExternal ? { item: byExternal, field: "externalId" } : undefined;
    },
  };
}

/**
 * Build the row error of a Rankwise id that matches no live item of the workspace. Creating a new
 * item from such a row would duplicate a deleted item, or copy another workspace's item that the
 * file means to update, so the user must clear the cell or restore the item.
 */
function unmatchedItemIdError(row: ImportRow, deletedItem: BacklogItem | undefined, context: ImportContext): RowError {
  const value = row.itemId ?? "";
  const base = { row: row.row, column: columnName(context, "itemId"), field: "itemId" as const, value };
  if (deletedItem) {
    const itemNumber = deletedItem.number;
    const message = `Rankwise id "${value}" belongs to item #${itemNumber}, which is deleted. Restore the item first to update it, or clear the cell to import the row as a new item`;
    return { ...base, ...rowProblem("item_id_deleted", { value, itemNumber }, message) };
  }
  const message = `Rankwise id "${value}" matches no item of this workspace. Clear the cell to import the row as a new item, or leave the column unmapped to import another workspace's export`;
  return { ...base, ...rowProblem("item_id_unknown", { value }, message) };
}

/** Cell value of the field a row matched on. */
function matchedValue(row: ImportRow, field: MatchField): string {
  return (field === "itemId" ? row.itemId : row.externalId) ?? "";
}

/**
 * Check a row that would update a live item, and return its error or null. An item matched by
 * an earlier row is an error, because two rows would update it. A row matched by Rankwise id may
 * change the item's id, but not to an id that another live item has.
 */
function checkUpdate(
  row: ImportRow,
  match: RowMatch,
  context: ImportContext & { byExternalId: Map<string, BacklogItem>; matchedRows: Map<string, number> },
): RowError | null {
  const { item, field } = match;
  const earlierRow = context.matchedRows.get(item.id);
  if (earlierRow !== undefined) {
    const message = `matches item #${item.number}, which row ${earlierRow} already updates`;
    return {
      row: row.row,
      column: columnName(context, field),
      field,
      value: matchedValue(row, field),
      ...rowProblem("item_matched_twice", { itemNumber: item.number, earlierRow }, message),
    };
  }
  const holder = row.externalId ? context.byExternalId.get(row.externalId) : undefined;
  if (context.mapping.externalId !== undefined && holder && holder.id !== item.id) {
    const value = row.externalId ?? "";
    const message = `id "${value}" already belongs to item #${holder.number}`;
    return {
      row: row.row,
      column: columnName(context, "externalId"),
      field: "externalId",
      value,
      ...rowProblem("external_id_taken", { value, itemNumber: holder.number }, message),
    };
  }
  return null;
}

function existingItemError(row: ImportRow, match: RowMatch, context: ImportContext): RowError {
  const value = matchedValue(row, match.field);
  const label = match.field === "itemId" ? "Rankwise id" : "id";
  const code = match.field === "itemId" ? "item_id_exists" : "external_id_exists";
  const message = `${label} "${value}" already belongs to item #${match.item.number}`;
  return {
    row: row.row,
    column: columnName(context, match.field),
    field: match.field,
    value,
    ...rowProblem(code, { value, itemNumber: match.item.number }, message),
  };
}

/**
 * Split valid rows into new items and matches of live items. With `onExisting: "error"`, matches
 * are row errors. Rows match by Rankwise id first, then by id (see loadMatchCandidates). A
 * Rankwise id that matches no live item is a row error in every mode.
 */
async function partitionRows(
  db: Db,
  options: Pick<ImportOptions, "workspaceId" | "onExisting">,
  context: ImportContext,
  validRows: ImportRow[],
) {
  const mode = options.onExisting ?? "update";
  const candidates = await loadMatchCandidates(db, options.workspaceId, validRows);
  const matchedRows = new Map<string, number>();
  const updateContext = { ...context, byExternalId: candidates.byExternalId, matchedRows };

  const fresh: ImportRow[] = [];
  const matched: [ImportRow, BacklogItem][] = [];
  const existingErrors: RowError[] = [];
  let skippedExisting = 0;
  for (const row of validRows) {
    const match = candidates.match(row);
    if (row.itemId && match?.field !== "itemId") {
      existingErrors.push(unmatchedItemIdError(row, candidates.itemWithId(row.itemId), context));
    } else if (!match) {
      fresh.push(row);
    } else if (mode === "skip") {
      skippedExisting++;
    } else if (mode === "error") {
      existingErrors.push(existingItemError(row, match, context));
    } else {
      const problem = checkUpdate(row, match, updateContext);
      if (problem) {
        existingErrors.push(problem);
      } else {
        matchedRows.set(match.item.id, row.row);
        matched.push([row, match.item]);
      }
    }
  }
  return { fresh, matched, existingErrors, skippedExisting };
}

/**
 * Map `itemId:input` to the values that an imported value would not change: the item's latest
 * import value and its effective value. An export contains the effective values, so importing it
 * again records nothing for values that a PM or an accepted AI proposal set.
 */
function currentInputValues(latest: LatestInputRow[]): Map<string, (number | null)[]> {
  const current = new Map<string, (number | null)[]>();
  const add = (key: string, value: number | null) => current.set(key, [...(current.get(key) ?? []), value]);
  for (const [itemId, rows] of groupByItem(latest)) {
    for (const [input, effective] of Object.entries(resolveEffectiveInputs(rows))) {
      add(`${itemId}:${input}`, effective.value);
    }
    for (const row of rows) if (row.source === "import") add(`${itemId}:${row.input}`, row.value);
  }
  return current;
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
  const current = currentInputValues(latest);
  const updates: PlannedUpdate[] = [];
  let unchanged = 0;
  for (const [row, item] of matched) {
    const inputs = Object.fromEntries(
      Object.entries(row.inputs).filter(([input, value]) => !current.get(`${item.id}:${input}`)?.includes(value)),
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
      const updated = await updateBacklogItem(db, {
        workspaceId,
        itemId: item.id,
        expectedVersion: item.version,
        patch,
      });
      // Another writer changed or deleted the item after planImport read it.
      if (!updated) throw new ItemChangedDuringImport(item.number);
    }
    inputs.push(...importInputRows(workspaceId, actorId, item.id, changed));
  }
  await insertItemInputs(db, inputs);
}

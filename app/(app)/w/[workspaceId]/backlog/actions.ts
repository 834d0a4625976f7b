"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { listMatchingItemIds } from "@/components/backlog/backlog-data";
import { backlogQuerySchema } from "@/components/backlog/query";
import { getDb } from "@/db";
import { upsertBacklogSettings } from "@/db/queries/backlog";
import { type Actor, requireActor, requireCapability, requireWorkspace } from "@/lib/auth/actor";
import type { Capability } from "@/lib/auth/roles";
import { parseCsv } from "@/lib/backlog/csv";
import { importFields } from "@/lib/backlog/csv-mapping";
import type { CsvPreview } from "@/lib/backlog/csv-preview";
import { type ImportResult, importBacklogCsv, previewBacklogCsvImport } from "@/lib/backlog/import";
import { setPmInput } from "@/lib/backlog/inputs";
import { bulkUpdateItems, createItem, deleteItems, restoreItems, updateItem } from "@/lib/backlog/items";
import {
  bulkItemIdsSchema,
  bulkUpdateItemsSchema,
  createItemSchema,
  frameworkSchema,
  inputNameSchema,
  rejectTooManyBulkItems,
  setInputBodySchema,
  updateItemSchema,
} from "@/lib/backlog/schemas";
import { badRequest } from "@/lib/errors";
import { type ActionResult, runAction } from "@/lib/http/action-result";
import type { RankChange } from "@/lib/prioritization/changes";

/** Check the session, the capability and the workspace, as every route does. */
async function authorize(workspaceId: string, capability: Capability): Promise<Actor> {
  const actor = await requireActor();
  requireCapability(actor, capability);
  await requireWorkspace(actor, workspaceId);
  return actor;
}

function revalidateBacklog(workspaceId: string): void {
  revalidatePath(`/w/${workspaceId}/backlog`, "layout");
  revalidatePath(`/w/${workspaceId}/prioritize`);
}

export async function createItemAction(workspaceId: string, fields: unknown): Promise<ActionResult<{ id: string }>> {
  return runAction("backlog.createItem", async () => {
    const actor = await authorize(workspaceId, "editBacklog");
    const item = await createItem(await getDb(), {
      workspaceId,
      actorId: actor.userId,
      fields: createItemSchema.parse(fields),
    });
    revalidateBacklog(workspaceId);
    return { id: item.id };
  });
}

export async function updateItemAction(
  workspaceId: string,
  itemId: string,
  changes: unknown,
): Promise<ActionResult<{ version: number }>> {
  return runAction("backlog.updateItem", async () => {
    const actor = await authorize(workspaceId, "editBacklog");
    const item = await updateItem(await getDb(), {
      workspaceId,
      itemId: z.uuid().parse(itemId),
      actorId: actor.userId,
      changes: updateItemSchema.parse(changes),
    });
    revalidateBacklog(workspaceId);
    return { version: item.version };
  });
}

function parseBulkItemIds(itemIds: unknown): string[] {
  rejectTooManyBulkItems(itemIds);
  return bulkItemIdsSchema.parse(itemIds);
}

/** Soft-delete items; the page offers undo through `restoreItemsAction` with the same ids. */
export async function deleteItemsAction(workspaceId: string, itemIds: string[]): Promise<ActionResult<string[]>> {
  return runAction("backlog.deleteItems", async () => {
    const actor = await authorize(workspaceId, "editBacklog");
    const deleted = await deleteItems(await getDb(), {
      workspaceId,
      actorId: actor.userId,
      itemIds: parseBulkItemIds(itemIds),
    });
    revalidateBacklog(workspaceId);
    return deleted.map((item) => item.id);
  });
}

export async function restoreItemsAction(workspaceId: string, itemIds: string[]): Promise<ActionResult<string[]>> {
  return runAction("backlog.restoreItems", async () => {
    const actor = await authorize(workspaceId, "editBacklog");
    const restored = await restoreItems(await getDb(), {
      workspaceId,
      actorId: actor.userId,
      itemIds: parseBulkItemIds(itemIds),
    });
    revalidateBacklog(workspaceId);
    return restored.map((item) => item.id);
  });
}

export async function bulkUpdateItemsAction(workspaceId: string, changes: unknown): Promise<ActionResult<number>> {
  return runAction("backlog.bulkUpdate", async () => {
    const actor = await authorize(workspaceId, "editBacklog");
    rejectTooManyBulkItems((changes as { itemIds?: unknown } | null)?.itemIds);
    const updated = await bulkUpdateItems(await getDb(), {
      workspaceId,
      actorId: actor.userId,
      changes: bulkUpdateItemsSchema.parse(changes),
    });
    revalidateBacklog(workspaceId);
    return updated.length;
  });
}

/**
 * Set or clear the PM value of an input with a reason; returns the rank changes it caused. With
 * the item version the page showed, an edit made meanwhile by someone else is a conflict.
 */
export async function setInputAction(
  workspaceId: string,
  itemId: string,
  input: string,
  body: unknown,
): Promise<ActionResult<RankChange[]>> {
  return runAction("backlog.setInput", async () => {
    const actor = await authorize(workspaceId, "editBacklog");
    const { value, reason, version } = setInputBodySchema.parse(body);
    const { changes } = await setPmInput(await getDb(), {
      workspaceId,
      itemId: z.uuid().parse(itemId),
      actorId: actor.userId,
      input: inputNameSchema.parse(input),
      value,
      reason,
      version,
    });
    revalidateBacklog(workspaceId);
    return changes;
  });
}

/** List the ids of the items matching the backlog page's filters, for "select all matching". */
export async function listMatchingItemIdsAction(workspaceId: string, query: unknown): Promise<ActionResult<string[]>> {
  return runAction("backlog.listMatching", async () => {
    await authorize(workspaceId, "read");
    return listMatchingItemIds(await getDb(), { workspaceId, query: backlogQuerySchema.parse(query) });
  });
}

export async function setFrameworkAction(workspaceId: string, framework: string): Promise<ActionResult> {
  return runAction("backlog.setFramework", async () => {
    await authorize(workspaceId, "editBacklog");
    await upsertBacklogSettings(await getDb(), { workspaceId, framework: frameworkSchema.parse(framework) });
    revalidateBacklog(workspaceId);
    return null;
  });
}

const mappingSchema = z.partialRecord(z.enum(importFields), z.number().int().min(0).max(500)).optional();

/**
 * Read the import form: the CSV file's bytes and the column mapping chosen on screen, if any. An
 * empty file is passed on, so that parsing rejects it as empty, as the API does.
 */
async function readImportForm(form: FormData): Promise<{ bytes: Uint8Array; mapping: ImportMapping }> {
  const file = form.get("file");
  if (!(file instanceof File)) {
    throw badRequest("Choose a CSV file to import.", { field: "file", reason: "csv_file_missing" });
  }
  const rawMapping = form.get("mapping");
  let mapping: unknown;
  try {
    mapping = typeof rawMapping === "string" && rawMapping ? JSON.parse(rawMapping) : undefined;
  } catch {
    throw badRequest("The column mapping is not valid JSON.", { field: "mapping", reason: "csv_mapping_invalid_json" });
  }
  return { bytes: new Uint8Array(await file.arrayBuffer()), mapping: mappingSchema.parse(mapping) };
}

type ImportMapping = z.infer<typeof mappingSchema>;

/**
 * Parse an uploaded CSV and check every row with the given (or guessed) column mapping. Rows are
 * also checked against the workspace's items, as the import checks them. Writes nothing.
 */
export async function previewImportAction(workspaceId: string, form: FormData): Promise<ActionResult<CsvPreview>> {
  return runAction("backlog.previewImport", async () => {
    await authorize(workspaceId, "editBacklog");
    const { bytes, mapping } = await readImportForm(form);
    return previewBacklogCsvImport(await getDb(), { workspaceId, table: parseCsv(bytes), mapping, sampleSize: 5 });
  });
}

/**
 * Import all rows or none; with `skipInvalid` set in the form the PM chose to leave the invalid
 * rows out. Rows whose Rankwise id or id matches a live item update it.
 */
export async function importCsvAction(workspaceId: string, form: FormData): Promise<ActionResult<ImportResult>> {
  return runAction("backlog.import", async () => {
    const actor = await authorize(workspaceId, "editBacklog");
    const { bytes, mapping } = await readImportForm(form);
    const result = await importBacklogCsv(await getDb(), {
      workspaceId,
      actorId: actor.userId,
      csv: bytes,
      mapping,
      skipInvalid: form.get("skipInvalid") === "true",
    });
    revalidateBacklog(workspaceId);
    return result;
  });
}

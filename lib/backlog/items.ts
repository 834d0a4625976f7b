import type { Db } from "@/db/client";
import {
  getBacklogItem,
  insertAuditEntries,
  insertBacklogItems,
  listBacklogItems,
  setBacklogItemsDeleted,
  updateBacklogItem,
  updateBacklogItems,
} from "@/db/queries/backlog";
import type { BacklogItem } from "@/db/schema";
import { AppError, conflict, notFound } from "@/lib/errors";
import { findDatabaseError, UNIQUE_VIOLATION } from "@/lib/http/database-error";
import type { BulkUpdateItems, CreateItem, UpdateItem } from "./schemas";

/** Author of a change; `actorId` is null for system work such as seeding. */
export interface ChangeAuthor {
  actorId: string | null;
}

/** Tell whether the error, or one of its causes, is a Postgres unique_violation of either engine. */
function isUniqueViolation(error: unknown): boolean {
  return findDatabaseError(error)?.code === UNIQUE_VIOLATION;
}

function duplicateExternalId(externalId: string | null): AppError {
  return new AppError(409, "duplicate_external_id", `Another item already has the id "${externalId}".`, {
    field: "externalId",
    reason: "item_external_id_taken",
    params: { externalId: externalId ?? "" },
  });
}

export async function getItemOrThrow(
  db: Db,
  params: { workspaceId: string; itemId: string; includeDeleted?: boolean },
): Promise<BacklogItem> {
  const item = await getBacklogItem(db, params);
  if (!item) throw notFound("item");
  return item;
}

export async function createItem(
  db: Db,
  params: ChangeAuthor & { workspaceId: string; fields: CreateItem },
): Promise<BacklogItem> {
  try {
    return await db.transaction(async (tx) => {
      const [item] = await insertBacklogItems(tx, {
        workspaceId: params.workspaceId,
        createdById: params.actorId,
        items: [params.fields],
      });
      if (!item) throw new Error("insert into backlog_item returned no row");
      await insertAuditEntries(tx, [{ ...audit(params, "item.create", item.id), after: params.fields }]);
      return item;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw duplicateExternalId(params.fields.externalId);
    throw error;
  }
}

function audit(params: ChangeAuthor & { workspaceId: string }, action: string, itemId: string) {
  return {
    workspaceId: params.workspaceId,
    actorId: params.actorId,
    action,
    entityType: "backlog_item",
    entityId: itemId,
  };
}

/**
 * Edit an item's own fields if the item is still at `version`. Otherwise throw a 409 conflict
 * whose details carry the current version, so the client can reload and apply the edit again.
 * An edit at the current version that changes no field writes nothing. The item keeps its
 * version and gets no audit row, and the ranking revision stays, so other open views of the item
 * see no false conflict.
 */
export async function updateItem(
  db: Db,
  params: ChangeAuthor & { workspaceId: string; itemId: string; changes: UpdateItem },
): Promise<BacklogItem> {
  const { version, ...patch } = params.changes;
  try {
    return await db.transaction(async (tx) => {
      const current = await getItemOrThrow(tx, params);
      if (current.version !== version) throw staleVersion(current.version);
      const changed = changedFields(current, patch);
      if (Object.keys(changed).length === 0) return current;

      // The version check in the update still guards against an edit committed after the read above.
      const updated = await updateBacklogItem(tx, { ...params, expectedVersion: version, patch: changed });
      if (!updated) throw staleVersion((await getItemOrThrow(tx, params)).version);
      await insertAuditEntries(tx, [{ ...audit(params, "item.update", updated.id), after: changed }]);
      return updated;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw duplicateExternalId(patch.externalId ?? null);
    throw error;
  }
}

function staleVersion(currentVersion: number): AppError {
  return conflict("The item was changed by someone else. Reload it and apply your edit again.", {
    field: "version",
    currentVersion,
    reason: "item_changed",
  });
}

type ItemFieldPatch = Omit<UpdateItem, "version">;

/** Keep the fields of `patch` whose value differs from the stored item; links compare in order. */
function changedFields(item: BacklogItem, patch: ItemFieldPatch): ItemFieldPatch {
  const changed: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(patch) as [keyof ItemFieldPatch, unknown][]) {
    if (value === undefined) continue;
    const stored: unknown = item[key];
    const same =
      Array.isArray(value) && Array.isArray(stored)
        ? value.length === stored.length && value.every((element, index) => element === stored[index])
        : value === stored;
    if (!same) changed[key] = value;
  }
  return changed as ItemFieldPatch;
}

/** Soft-delete live items; undo with `restoreItems`. Returns the items deleted. */
export async function deleteItems(
  db: Db,
  params: ChangeAuthor & { workspaceId: string; itemIds: string[] },
): Promise<BacklogItem[]> {
  return db.transaction(async (tx) => {
    const deleted = await setBacklogItemsDeleted(tx, { ...params, deleted: true });
    await insertAuditEntries(
      tx,
      deleted.map((item) => audit(params, "item.delete", item.id)),
    );
    return deleted;
  });
}

/**
 * Undo soft deletes. An item whose external id was taken by a live item in the meantime cannot
 * come back with it, so restoring it is a 409.
 */
export async function restoreItems(
  db: Db,
  params: ChangeAuthor & { workspaceId: string; itemIds: string[] },
): Promise<BacklogItem[]> {
  try {
    return await db.transaction(async (tx) => {
      const restored = await setBacklogItemsDeleted(tx, { ...params, deleted: false });
      await insertAuditEntries(
        tx,
        restored.map((item) => audit(params, "item.restore", item.id)),
      );
      return restored;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw await restoreIdTaken(db, params);
    throw error;
  }
}

/** Build the 409 of a restore whose items' ids were taken meanwhile, naming those ids. */
async function restoreIdTaken(db: Db, params: { workspaceId: string; itemIds: string[] }): Promise<AppError> {
  const restoring = await listBacklogItems(db, { ...params, deleted: "only" });
  const ids = restoring.flatMap((item) => (item.externalId ? [item.externalId] : []));
  const live = new Set(
    (await listBacklogItems(db, { workspaceId: params.workspaceId, externalIds: ids })).map((item) => item.externalId),
  );
  // Without a live holder, two of the restored items share an id.
  const takenByLive = ids.filter((id) => live.has(id));
  const externalIds = (takenByLive.length > 0 ? takenByLive : [...new Set(ids)]).join(", ");
  return new AppError(
    409,
    "duplicate_external_id",
    `The ids ${externalIds} are taken by live items or repeated among the items restored, so those items cannot come back with them. Change the ids of the live items, or restore one item per id.`,
    { field: "itemIds", reason: "item_restore_id_taken", params: { externalIds } },
  );
}

/** Set the theme, the status or both on many items at once. Unknown ids are a 404 and change nothing. */
export async function bulkUpdateItems(
  db: Db,
  params: ChangeAuthor & { workspaceId: string; changes: BulkUpdateItems },
): Promise<BacklogItem[]> {
  const { itemIds, ...patch } = params.changes;
  const unique = [...new Set(itemIds)];
  return db.transaction(async (tx) => {
    const found = await listBacklogItems(tx, { workspaceId: params.workspaceId, itemIds: unique });
    if (found.length !== unique.length) throw notFound("item", `${unique.length - found.length} of the items`);
    const updated = await updateBacklogItems(tx, { workspaceId: params.workspaceId, itemIds: unique, patch });
    await insertAuditEntries(
      tx,
      updated.map((item) => ({ ...audit(params, "item.bulk_update", item.id), after: patch })),
    );
    return updated;
  });
}

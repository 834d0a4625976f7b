import {
  and,
  asc,
  type Column,
  count,
  eq,
  ilike,
  inArray,
  isNotNull,
  isNull,
  lte,
  or,
  type SQL,
  sql,
} from "drizzle-orm";
import type { Db } from "@/db/client";
import {
  auditLog,
  type BacklogItem,
  backlogItem,
  backlogItemDeletion,
  backlogSettings,
  type Framework,
  type IceMode,
  type ItemStatus,
} from "@/db/schema";

/** Rows per multi-row INSERT; keeps every statement far below Postgres's 65,535 parameters. */
export const INSERT_CHUNK_SIZE = 500;

export function chunk<T>(values: readonly T[], size = INSERT_CHUNK_SIZE): T[][] {
  const chunks: T[][] = [];
  for (let index = 0; index < values.length; index += size) chunks.push(values.slice(index, index + size));
  return chunks;
}

/**
 * Write `values` chunk by chunk, in order, and let the event loop run between chunks. PGlite runs
 * each statement synchronously and resolves it in a microtask, so without these breaks a large
 * import would block every other request, timer and stream for its whole length. Returns the
 * rows each write returned, in order.
 */
export async function writeInChunks<T, R>(values: readonly T[], write: (part: T[]) => Promise<R[]>): Promise<R[]> {
  const written: R[] = [];
  for (const [index, part] of chunk(values).entries()) {
    if (index > 0) await new Promise((resolve) => setImmediate(resolve));
    written.push(...(await write(part)));
  }
  return written;
}

/**
 * `column = any($n)` with every value in one array parameter. Use it for lists that a user can
 * make long (a CSV import's ids): `inArray` sends one parameter per value, and Postgres's wire
 * protocol admits at most 65,535 parameters in a statement.
 */
export function isAnyOf(column: Column, values: readonly string[], arrayType: "uuid[]" | "text[]"): SQL {
  return sql`${column} = any(${sql.param(values)}::${sql.raw(arrayType)})`;
}

// --- settings ---------------------------------------------------------------------------------

export interface BacklogPreferences {
  framework: Framework;
  iceMode: IceMode;
}

/** Get the workspace's framework and ICE mode, or the column defaults when no settings row exists yet. */
export async function getBacklogSettings(db: Db, params: { workspaceId: string }): Promise<BacklogPreferences> {
  const [row] = await db
    .select({ framework: backlogSettings.framework, iceMode: backlogSettings.iceMode })
    .from(backlogSettings)
    .where(eq(backlogSettings.workspaceId, params.workspaceId));
  return row ?? { framework: "rice", iceMode: "product" };
}

export async function upsertBacklogSettings(
  db: Db,
  params: { workspaceId: string } & Partial<BacklogPreferences>,
): Promise<BacklogPreferences> {
  const changes = {
    ...(params.framework ? { framework: params.framework } : {}),
    ...(params.iceMode ? { iceMode: params.iceMode } : {}),
  };
  const [row] = await db
    .insert(backlogSettings)
    .values({ workspaceId: params.workspaceId, ...changes })
    .onConflictDoUpdate({ target: backlogSettings.workspaceId, set: { ...changes, updatedAt: new Date() } })
    .returning({ framework: backlogSettings.framework, iceMode: backlogSettings.iceMode });
  if (!row) throw new Error("upsert into backlog_settings returned no row");
  return row;
}

/**
 * Reserve `count` consecutive item numbers and return the first. The upsert locks the settings
 * row until the transaction ends, so concurrent creators wait instead of taking the same number.
 */
export async function allocateItemNumbers(db: Db, params: { workspaceId: string; count: number }): Promise<number> {
  const [row] = await db
    .insert(backlogSettings)
    .values({ workspaceId: params.workspaceId, nextItemNumber: params.count + 1 })
    .onConflictDoUpdate({
      target: backlogSettings.workspaceId,
      set: { nextItemNumber: sql`${backlogSettings.nextItemNumber} + ${params.count}` },
    })
    .returning({ next: backlogSettings.nextItemNumber });
  if (!row) throw new Error("allocating item numbers returned no row");
  return row.next - params.count;
}

// --- items ------------------------------------------------------------------------------------

export interface NewItemFields {
  externalId: string | null;
  title: string;
  description: string;
  theme: string | null;
  status: ItemStatus;
  links: string[];
}

/** Insert items with consecutive numbers, in the given order. */
export async function insertBacklogItems(
  db: Db,
  params: { workspaceId: string; createdById: string | null; items: NewItemFields[] },
): Promise<BacklogItem[]> {
  if (params.items.length === 0) return [];
  const first = await allocateItemNumbers(db, { workspaceId: params.workspaceId, count: params.items.length });
  const values = params.items.map((item, index) => ({
    ...item,
    workspaceId: params.workspaceId,
    createdById: params.createdById,
    number: first + index,
  }));

  return writeInChunks(values, (part) => db.insert(backlogItem).values(part).returning());
}

export async function getBacklogItem(
  db: Db,
  params: { workspaceId: string; itemId: string; includeDeleted?: boolean },
): Promise<BacklogItem | undefined> {
  const [row] = await db
    .select()
    .from(backlogItem)
    .where(
      and(
        eq(backlogItem.workspaceId, params.workspaceId),
        eq(backlogItem.id, params.itemId),
        params.includeDeleted ? undefined : isNull(backlogItem.deletedAt),
      ),
    );
  return row;
}

export interface ItemQuery {
  workspaceId: string;
  search?: string;
  themes?: string[];
  statuses?: ItemStatus[];
  /** exclude (default) lists live items, only lists deleted ones, include lists both. */
  deleted?: "exclude" | "only" | "include";
  itemIds?: string[];
  externalIds?: string[];
  /** List the items that existed at this time: created by then and not deleted by then. */
  at?: Date;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

function searchCondition(search: string): SQL | undefined {
  const term = search.trim();
  if (!term) return undefined;
  const pattern = `%${escapeLike(term)}%`;
  const number = /^#?(\d{1,9})$/.exec(term)?.[1];
  return or(
    ilike(backlogItem.title, pattern),
    ilike(backlogItem.description, pattern),
    ilike(backlogItem.externalId, pattern),
    number ? eq(backlogItem.number, Number(number)) : undefined,
  );
}

function deletedCondition(query: ItemQuery): SQL | undefined {
  if (query.at) {
    // An item was deleted at `at` when a deletion had started by then and was not yet undone.
    const deletion = backlogItemDeletion;
    const at = sql`${query.at.toISOString()}::timestamptz`;
    return and(
      lte(backlogItem.createdAt, query.at),
      sql`not exists (select 1 from ${deletion} where ${deletion.itemId} = ${backlogItem.id}
        and ${deletion.deletedAt} <= ${at} and (${deletion.restoredAt} is null or ${deletion.restoredAt} > ${at}))`,
    );
  }
  if (query.deleted === "include") return undefined;
  return query.deleted === "only" ? isNotNull(backlogItem.deletedAt) : isNull(backlogItem.deletedAt);
}

/** Items matching every given condition, by number. An empty id list matches nothing. */
export async function listBacklogItems(db: Db, query: ItemQuery): Promise<BacklogItem[]> {
  if (query.itemIds?.length === 0 || query.externalIds?.length === 0) return [];
  return db
    .select()
    .from(backlogItem)
    .where(
      and(
        eq(backlogItem.workspaceId, query.workspaceId),
        deletedCondition(query),
        query.search ? searchCondition(query.search) : undefined,
        query.themes?.length ? inArray(backlogItem.theme, query.themes) : undefined,
        query.statuses?.length ? inArray(backlogItem.status, query.statuses) : undefined,
        query.itemIds ? isAnyOf(backlogItem.id, query.itemIds, "uuid[]") : undefined,
        query.externalIds ? isAnyOf(backlogItem.externalId, query.externalIds, "text[]") : undefined,
      ),
    )
    .orderBy(asc(backlogItem.number));
}

export type ItemPatch = Partial<NewItemFields>;

/**
 * Update a live item if its version is still `expectedVersion`, and increment the version.
 * Returns undefined when the item is missing, deleted or at another version.
 */
export async function updateBacklogItem(
  db: Db,
  params: { workspaceId: string; itemId: string; expectedVersion: number; patch: ItemPatch },
): Promise<BacklogItem | undefined> {
  const [row] = await db
    .update(backlogItem)
    .set({ ...params.patch, version: sql`${backlogItem.version} + 1`, updatedAt: new Date() })
    .where(
      and(
        eq(backlogItem.workspaceId, params.workspaceId),
        eq(backlogItem.id, params.itemId),
        eq(backlogItem.version, params.expectedVersion),
        isNull(backlogItem.deletedAt),
      ),
    )
    .returning();
  return row;
}

/** Apply one patch to many live items, incrementing each version; returns the updated rows. */
export async function updateBacklogItems(
  db: Db,
  params: { workspaceId: string; itemIds: string[]; patch: ItemPatch },
): Promise<BacklogItem[]> {
  if (params.itemIds.length === 0) return [];
  return db
    .update(backlogItem)
    .set({ ...params.patch, version: sql`${backlogItem.version} + 1`, updatedAt: new Date() })
    .where(
      and(
        eq(backlogItem.workspaceId, params.workspaceId),
        isAnyOf(backlogItem.id, params.itemIds, "uuid[]"),
        isNull(backlogItem.deletedAt),
      ),
    )
    .returning();
}

/**
 * Soft-delete live items or restore deleted ones, and record it in the deletion history; returns
 * the rows changed. Call it in a transaction. Times are database time, like `createdAt`, so "as
 * of" queries compare times from one clock.
 */
export async function setBacklogItemsDeleted(
  db: Db,
  params: { workspaceId: string; itemIds: string[]; deleted: boolean },
): Promise<BacklogItem[]> {
  if (params.itemIds.length === 0) return [];
  const changed = await db
    .update(backlogItem)
    .set({ deletedAt: params.deleted ? sql`now()` : null, updatedAt: new Date() })
    .where(
      and(
        eq(backlogItem.workspaceId, params.workspaceId),
        isAnyOf(backlogItem.id, params.itemIds, "uuid[]"),
        params.deleted ? isNull(backlogItem.deletedAt) : isNotNull(backlogItem.deletedAt),
      ),
    )
    .returning();
  if (params.deleted) {
    const opened = changed.map((item) => ({
      workspaceId: item.workspaceId,
      itemId: item.id,
      deletedAt: item.deletedAt ?? new Date(),
    }));
    await writeInChunks(opened, (part) =>
      db.insert(backlogItemDeletion).values(part).returning({ id: backlogItemDeletion.id }),
    );
  } else if (changed.length > 0) {
    await db
      .update(backlogItemDeletion)
      .set({ restoredAt: sql`now()` })
      .where(
        and(
          eq(backlogItemDeletion.workspaceId, params.workspaceId),
          isAnyOf(
            backlogItemDeletion.itemId,
            changed.map((item) => item.id),
            "uuid[]",
          ),
          isNull(backlogItemDeletion.restoredAt),
        ),
      );
  }
  return changed;
}

/** Themes of live items with their item counts, by name. */
export async function listBacklogThemes(db: Db, params: { workspaceId: string }) {
  return db
    .select({ theme: backlogItem.theme, count: count() })
    .from(backlogItem)
    .where(
      and(eq(backlogItem.workspaceId, params.workspaceId), isNull(backlogItem.deletedAt), isNotNull(backlogItem.theme)),
    )
    .groupBy(backlogItem.theme)
    .orderBy(asc(backlogItem.theme));
}

// --- audit ------------------------------------------------------------------------------------

export interface AuditEntry {
  /** Null for changes outside any workspace, such as access tokens. */
  workspaceId: string | null;
  actorId: string | null;
  /** Dotted verb such as `item.update` or `input.set`. */
  action: string;
  entityType: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
}

/** Insert audit rows; call it in the transaction that makes the change. */
export async function insertAuditEntries(db: Db, entries: AuditEntry[]): Promise<void> {
  await writeInChunks(entries, async (part) => {
    await db
      .insert(auditLog)
      .values(part.map((entry) => ({ ...entry, before: entry.before ?? null, after: entry.after ?? null })));
    return [];
  });
}

import { and, asc, eq, ilike, inArray, isNull, max, or, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { type Document, type DocumentKind, document } from "@/db/schema";
import { isAnyOf, writeInChunks } from "./backlog";

export type NewDocument = Omit<typeof document.$inferInsert, "id" | "createdAt" | "updatedAt" | "deletedAt">;

/** Insert documents; rows whose external id already exists in the workspace are skipped. */
export async function insertDocuments(db: Db, rows: NewDocument[]): Promise<Document[]> {
  return writeInChunks(rows, (part) => db.insert(document).values(part).onConflictDoNothing().returning());
}

export async function getDocument(
  db: Db,
  params: { workspaceId: string; documentId: string; includeDeleted?: boolean },
): Promise<Document | undefined> {
  const [row] = await db
    .select()
    .from(document)
    .where(
      and(
        eq(document.workspaceId, params.workspaceId),
        eq(document.id, params.documentId),
        params.includeDeleted ? undefined : isNull(document.deletedAt),
      ),
    );
  return row;
}

export interface DocumentQuery {
  workspaceId: string;
  kinds?: DocumentKind[];
  itemIds?: string[];
  externalIds?: string[];
  search?: string;
  includeDeleted?: boolean;
  limit?: number;
  offset?: number;
}

/** Return the ids among `ids` of the workspace's documents that are not deleted. */
export async function listLiveDocumentIds(
  db: Db,
  params: { workspaceId: string; ids: string[] },
): Promise<Set<string>> {
  if (params.ids.length === 0) return new Set();
  const rows = await db
    .select({ id: document.id })
    .from(document)
    .where(
      and(
        eq(document.workspaceId, params.workspaceId),
        isNull(document.deletedAt),
        isAnyOf(document.id, params.ids, "uuid[]"),
      ),
    );
  return new Set(rows.map((row) => row.id));
}

/** Documents matching every given condition, oldest first. An empty id list matches nothing. */
export async function listDocuments(db: Db, query: DocumentQuery): Promise<Document[]> {
  if (query.itemIds?.length === 0 || query.externalIds?.length === 0) return [];
  const pattern = query.search ? `%${query.search.replace(/[\\%_]/g, (character) => `\\${character}`)}%` : undefined;
  return db
    .select()
    .from(document)
    .where(
      and(
        eq(document.workspaceId, query.workspaceId),
        query.includeDeleted ? undefined : isNull(document.deletedAt),
        query.kinds?.length ? inArray(document.kind, query.kinds) : undefined,
        query.itemIds ? isAnyOf(document.itemId, query.itemIds, "uuid[]") : undefined,
        query.externalIds ? isAnyOf(document.externalId, query.externalIds, "text[]") : undefined,
        pattern ? or(ilike(document.title, pattern), ilike(document.content, pattern)) : undefined,
      ),
    )
    .orderBy(asc(document.createdAt), asc(document.externalId), asc(document.id))
    .limit(query.limit ?? 10_000)
    .offset(query.offset ?? 0);
}

/** Map each item that has live linked documents to the creation time of its newest one. */
export async function getLatestDocumentTimes(
  db: Db,
  params: { workspaceId: string; itemIds: string[] },
): Promise<Map<string, Date>> {
  if (params.itemIds.length === 0) return new Map();
  const rows = await db
    .select({ itemId: document.itemId, latest: max(document.createdAt) })
    .from(document)
    .where(
      and(
        eq(document.workspaceId, params.workspaceId),
        isNull(document.deletedAt),
        isAnyOf(document.itemId, params.itemIds, "uuid[]"),
      ),
    )
    .groupBy(document.itemId);
  return new Map(rows.flatMap((row) => (row.itemId && row.latest ? [[row.itemId, row.latest]] : [])));
}

/**
 * Return the citation ids that name no live document of the workspace. A citation is
 * a document's external id (such as `AF012`) or its uuid.
 */
export async function findUnknownDocumentIds(
  db: Db,
  params: { workspaceId: string; ids: string[] },
): Promise<string[]> {
  const ids = [...new Set(params.ids)];
  if (ids.length === 0) return [];
  const uuids = ids.filter((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id));
  const rows = await db
    .select({ id: document.id, externalId: document.externalId })
    .from(document)
    .where(
      and(
        eq(document.workspaceId, params.workspaceId),
        isNull(document.deletedAt),
        or(
          isAnyOf(document.externalId, ids, "text[]"),
          uuids.length > 0 ? isAnyOf(document.id, uuids, "uuid[]") : undefined,
        ),
      ),
    );
  const known = new Set(rows.flatMap((row) => [row.id, row.externalId ?? ""]));
  return ids.filter((id) => !known.has(id));
}

export type DocumentPatch = Partial<
  Pick<Document, "title" | "content" | "sourceUrl" | "language" | "itemId" | "kind" | "metadata">
>;

export async function updateDocument(
  db: Db,
  params: { workspaceId: string; documentId: string; patch: DocumentPatch },
): Promise<Document | undefined> {
  const [row] = await db
    .update(document)
    .set({ ...params.patch, updatedAt: new Date() })
    .where(
      and(eq(document.workspaceId, params.workspaceId), eq(document.id, params.documentId), isNull(document.deletedAt)),
    )
    .returning();
  return row;
}

/** Soft-delete a live document or restore a deleted one; returns the row when it changed. */
export async function setDocumentDeleted(
  db: Db,
  params: { workspaceId: string; documentId: string; deleted: boolean },
): Promise<Document | undefined> {
  const [row] = await db
    .update(document)
    .set({ deletedAt: params.deleted ? sql`now()` : null, updatedAt: new Date() })
    .where(
      and(
        eq(document.workspaceId, params.workspaceId),
        eq(document.id, params.documentId),
        params.deleted ? isNull(document.deletedAt) : sql`${document.deletedAt} is not null`,
      ),
    )
    .returning();
  return row;
}

/** External ids of the live documents linked to each item, for prompts' `evidence_ids`. */
export async function listEvidenceIdsByItem(
  db: Db,
  params: { workspaceId: string; itemIds: string[] },
): Promise<Map<string, string[]>> {
  if (params.itemIds.length === 0) return new Map();
  const rows = await db
    .select({ itemId: document.itemId, externalId: document.externalId, id: document.id })
    .from(document)
    .where(
      and(
        eq(document.workspaceId, params.workspaceId),
        isNull(document.deletedAt),
        isAnyOf(document.itemId, params.itemIds, "uuid[]"),
      ),
    )
    .orderBy(asc(document.externalId), asc(document.id));
  const byItem = new Map<string, string[]>();
  for (const row of rows) {
    if (!row.itemId) continue;
    const list = byItem.get(row.itemId) ?? [];
    list.push(row.externalId ?? row.id);
    byItem.set(row.itemId, list);
  }
  return byItem;
}

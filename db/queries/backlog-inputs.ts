import { and, asc, count, desc, eq, isNotNull, sql } from "drizzle-orm";
import { type Db, executeRows } from "@/db/client";
import { auditLog, backlogItem, type InputSource, type InputStatus, type ItemInput, itemInput } from "@/db/schema";
import type { InputName } from "@/lib/prioritization/scales";
import { isAnyOf, writeInChunks } from "./backlog";

export type NewItemInput = typeof itemInput.$inferInsert;

/** Append input history rows. */
export async function insertItemInputs(db: Db, rows: NewItemInput[]): Promise<ItemInput[]> {
  return writeInChunks(rows, (part) => db.insert(itemInput).values(part).returning());
}

/** A candidate row for the effective value, with the fields `resolveEffectiveInputs` reads. */
export type LatestInputRow = Pick<
  ItemInput,
  | "id"
  | "itemId"
  | "input"
  | "source"
  | "status"
  | "value"
  | "rationale"
  | "evidenceIds"
  | "authorId"
  | "runId"
  | "createdAt"
  | "reviewedAt"
>;

type JsonRow = [
  string,
  string,
  InputName,
  InputSource,
  InputStatus,
  number | null,
  string | null,
  string[],
  string | null,
  string | null,
  string,
  string | null,
];

/**
 * List the latest candidate row per item, input and source: at most 33 rows per item, from which
 * `resolveEffectiveInputs` picks the effective value. Candidates are active PM and import rows
 * and accepted AI rows (accepted by `at`, when given). The rows come back as one JSON value,
 * because moving thousands of rows out of PGlite one by one costs far more than the query
 * (about 4 times more for 11,000 rows, measured on PGlite 0.5).
 */
export async function listLatestInputRows(
  db: Db,
  params: { workspaceId: string; itemIds?: string[]; at?: Date },
): Promise<LatestInputRow[]> {
  if (params.itemIds?.length === 0) return [];
  const at = params.at?.toISOString() ?? null;
  const itemFilter = params.itemIds ? sql`and ${isAnyOf(itemInput.itemId, params.itemIds, "uuid[]")}` : sql``;
  const [row] = await executeRows<{ rows: JsonRow[] | string | null }>(
    db,
    sql`
      select json_agg(json_build_array(
        id, item_id, input, source, status, value, rationale, evidence_ids, author_id, run_id, created_at, reviewed_at
      )) as rows
      from (
        select distinct on (item_id, input, source) *
        from item_input
        where workspace_id = ${params.workspaceId} ${itemFilter}
          and ((source = 'ai' and status = 'accepted' and (${at}::timestamptz is null or reviewed_at <= ${at}::timestamptz))
            or (source <> 'ai' and status = 'active'))
          and (${at}::timestamptz is null or created_at <= ${at}::timestamptz)
        order by item_id, input, source, coalesce(reviewed_at, created_at) desc, created_at desc, id desc
      ) latest`,
  );
  const rows: JsonRow[] = typeof row?.rows === "string" ? JSON.parse(row.rows) : (row?.rows ?? []);
  return rows.map(
    ([id, itemId, input, source, status, value, rationale, evidenceIds, authorId, runId, createdAt, reviewedAt]) => ({
      id,
      itemId,
      input,
      source,
      status,
      value,
      rationale,
      evidenceIds,
      authorId,
      runId,
      createdAt: new Date(createdAt),
      reviewedAt: reviewedAt ? new Date(reviewedAt) : null,
    }),
  );
}

/** List every history row of an item's inputs, newest first, as PMs see the history. */
export async function listInputHistory(
  db: Db,
  params: { workspaceId: string; itemId: string; input?: InputName },
): Promise<ItemInput[]> {
  return db
    .select()
    .from(itemInput)
    .where(
      and(
        eq(itemInput.workspaceId, params.workspaceId),
        eq(itemInput.itemId, params.itemId),
        params.input ? eq(itemInput.input, params.input) : undefined,
      ),
    )
    .orderBy(desc(itemInput.createdAt), desc(itemInput.id));
}

export interface ProposalQuery {
  workspaceId: string;
  proposalIds?: string[];
  runId?: string;
  batchId?: string;
  itemIds?: string[];
  status?: InputStatus;
  /** Leave out proposals without a value (the model found insufficient evidence). */
  withValue?: boolean;
}

/** AI proposals matching every given condition, on live items only, oldest first. */
export async function listProposals(db: Db, query: ProposalQuery): Promise<ItemInput[]> {
  if (query.proposalIds?.length === 0 || query.itemIds?.length === 0) return [];
  const rows = await db
    .select({ input: itemInput })
    .from(itemInput)
    .innerJoin(backlogItem, eq(backlogItem.id, itemInput.itemId))
    .where(
      and(
        eq(itemInput.workspaceId, query.workspaceId),
        eq(itemInput.source, "ai"),
        sql`${backlogItem.deletedAt} is null`,
        query.proposalIds ? isAnyOf(itemInput.id, query.proposalIds, "uuid[]") : undefined,
        query.runId ? eq(itemInput.runId, query.runId) : undefined,
        query.batchId ? eq(itemInput.batchId, query.batchId) : undefined,
        query.itemIds ? isAnyOf(itemInput.itemId, query.itemIds, "uuid[]") : undefined,
        query.status ? eq(itemInput.status, query.status) : undefined,
        query.withValue ? isNotNull(itemInput.value) : undefined,
      ),
    )
    .orderBy(asc(itemInput.createdAt), asc(itemInput.id));
  return rows.map((row) => row.input);
}

/** Count the pending proposals of a run or a batch whose item is deleted; a review leaves them as they are. */
export async function countPendingProposalsOfDeletedItems(
  db: Db,
  params: { workspaceId: string; runId?: string; batchId?: string },
): Promise<number> {
  const [row] = await db
    .select({ pending: count() })
    .from(itemInput)
    .innerJoin(backlogItem, eq(backlogItem.id, itemInput.itemId))
    .where(
      and(
        eq(itemInput.workspaceId, params.workspaceId),
        eq(itemInput.source, "ai"),
        eq(itemInput.status, "proposed"),
        sql`${backlogItem.deletedAt} is not null`,
        params.runId ? eq(itemInput.runId, params.runId) : undefined,
        params.batchId ? eq(itemInput.batchId, params.batchId) : undefined,
      ),
    );
  return row?.pending ?? 0;
}

/** Move proposals from `proposed` to accepted or rejected; rows in another state are left alone. */
export async function setProposalStatus(
  db: Db,
  params: { workspaceId: string; proposalIds: string[]; status: "accepted" | "rejected"; reviewedById: string },
): Promise<ItemInput[]> {
  if (params.proposalIds.length === 0) return [];
  return (
    db
      .update(itemInput)
      // Database time, like `createdAt`, so "as of" queries compare times from one clock.
      .set({ status: params.status, reviewedById: params.reviewedById, reviewedAt: sql`now()` })
      .where(
        and(
          eq(itemInput.workspaceId, params.workspaceId),
          eq(itemInput.source, "ai"),
          eq(itemInput.status, "proposed"),
          isAnyOf(itemInput.id, params.proposalIds, "uuid[]"),
        ),
      )
      .returning()
  );
}

/** Proposals with a value still waiting for review, counted per item and input. */
export async function countPendingProposals(
  db: Db,
  params: { workspaceId: string },
): Promise<Map<string, Partial<Record<InputName, number>>>> {
  const rows = await db
    .select({ itemId: itemInput.itemId, input: itemInput.input, pending: count() })
    .from(itemInput)
    .where(
      and(
        eq(itemInput.workspaceId, params.workspaceId),
        eq(itemInput.source, "ai"),
        eq(itemInput.status, "proposed"),
        isNotNull(itemInput.value),
      ),
    )
    .groupBy(itemInput.itemId, itemInput.input);
  const byItem = new Map<string, Partial<Record<InputName, number>>>();
  for (const row of rows) {
    const counts = byItem.get(row.itemId) ?? {};
    counts[row.input] = row.pending;
    byItem.set(row.itemId, counts);
  }
  return byItem;
}

/**
 * Return the ids, among `proposalIds`, of proposals that a PM value settled: `setPmInput` rejects
 * the pending proposals of the input it sets, with a `proposal.reject` audit row whose
 * `after.overriddenBy` is the id of the PM value row.
 */
export async function listOverriddenProposalIds(
  db: Db,
  params: { workspaceId: string; proposalIds: string[] },
): Promise<Set<string>> {
  if (params.proposalIds.length === 0) return new Set();
  const rows = await db
    .selectDistinct({ proposalId: auditLog.entityId })
    .from(auditLog)
    .where(
      and(
        eq(auditLog.workspaceId, params.workspaceId),
        eq(auditLog.action, "proposal.reject"),
        eq(auditLog.entityType, "item_input"),
        isAnyOf(auditLog.entityId, params.proposalIds, "text[]"),
        sql`${auditLog.after} ->> 'overriddenBy' is not null`,
      ),
    );
  return new Set(rows.map((row) => row.proposalId));
}

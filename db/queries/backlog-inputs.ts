import { and, asc, count, desc, eq, inArray, isNotNull, lte, ne, or, type SQL, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { backlogItem, type InputStatus, type ItemInput, itemInput } from "@/db/schema";
import type { InputName } from "@/lib/prioritization/scales";
import { chunk } from "./backlog";

export type NewItemInput = typeof itemInput.$inferInsert;

/** Append input history rows. */
export async function insertItemInputs(db: Db, rows: NewItemInput[]): Promise<ItemInput[]> {
  const inserted: ItemInput[] = [];
  for (const part of chunk(rows)) inserted.push(...(await db.insert(itemInput).values(part).returning()));
  return inserted;
}

/** Rows that can be effective: active PM and import rows, accepted AI rows (accepted by `at` if given). */
function candidateCondition(at: Date | undefined): SQL | undefined {
  const aiAccepted = and(
    eq(itemInput.source, "ai"),
    eq(itemInput.status, "accepted"),
    at ? lte(itemInput.reviewedAt, at) : undefined,
  );
  const active = and(ne(itemInput.source, "ai"), eq(itemInput.status, "active"));
  return and(or(aiAccepted, active), at ? lte(itemInput.createdAt, at) : undefined);
}

/**
 * The latest candidate row per item, input and source: at most 33 rows per item, from which
 * `resolveEffectiveInputs` picks the effective value. The order matches its tie-breaks.
 */
export async function listLatestInputRows(
  db: Db,
  params: { workspaceId: string; itemIds?: string[]; at?: Date },
): Promise<ItemInput[]> {
  if (params.itemIds?.length === 0) return [];
  return db
    .selectDistinctOn([itemInput.itemId, itemInput.input, itemInput.source])
    .from(itemInput)
    .where(
      and(
        eq(itemInput.workspaceId, params.workspaceId),
        params.itemIds ? inArray(itemInput.itemId, params.itemIds) : undefined,
        candidateCondition(params.at),
      ),
    )
    .orderBy(
      itemInput.itemId,
      itemInput.input,
      itemInput.source,
      desc(sql`coalesce(${itemInput.reviewedAt}, ${itemInput.createdAt})`),
      desc(itemInput.createdAt),
      desc(itemInput.id),
    );
}

/** Every row of an item's inputs, newest first: the history shown to PMs. */
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
        query.proposalIds ? inArray(itemInput.id, query.proposalIds) : undefined,
        query.runId ? eq(itemInput.runId, query.runId) : undefined,
        query.batchId ? eq(itemInput.batchId, query.batchId) : undefined,
        query.itemIds ? inArray(itemInput.itemId, query.itemIds) : undefined,
        query.status ? eq(itemInput.status, query.status) : undefined,
        query.withValue ? isNotNull(itemInput.value) : undefined,
      ),
    )
    .orderBy(asc(itemInput.createdAt), asc(itemInput.id));
  return rows.map((row) => row.input);
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
          inArray(itemInput.id, params.proposalIds),
        ),
      )
      .returning()
  );
}

/** Proposals with a value still waiting for review, per live item. */
export async function countPendingProposals(db: Db, params: { workspaceId: string }): Promise<Map<string, number>> {
  const rows = await db
    .select({ itemId: itemInput.itemId, pending: count() })
    .from(itemInput)
    .where(
      and(
        eq(itemInput.workspaceId, params.workspaceId),
        eq(itemInput.source, "ai"),
        eq(itemInput.status, "proposed"),
        isNotNull(itemInput.value),
      ),
    )
    .groupBy(itemInput.itemId);
  return new Map(rows.map((row) => [row.itemId, row.pending]));
}

import { type Db, getDb } from "@/db";
import type { Framework } from "@/db/schema";
import { listItemsQuerySchema, toItemResponse } from "@/lib/api/backlog-schemas";
import { requireActor, requireCapability, requireWorkspace } from "@/lib/auth/actor";
import { bulkUpdateItems, createItem } from "@/lib/backlog/items";
import { bulkUpdateItemsSchema, createItemSchema, type ItemFilters } from "@/lib/backlog/schemas";
import { getBacklogRanking, loadBacklogRows } from "@/lib/backlog/view";
import { methodsNotAllowed } from "@/lib/http/method-not-allowed";
import { apiRoute, parseJsonBody, parseSearchParams } from "@/lib/http/route";

export const dynamic = "force-dynamic";

type Params = { workspaceId: string };

/** List items by number, filtered, each with its rank in the chosen (or given) framework. */
export const GET = apiRoute<Params>(async ({ request, params }) => {
  const actor = await requireActor(request);
  requireCapability(actor, "read");
  const workspace = await requireWorkspace(actor, params.workspaceId);
  const { limit, offset, framework, deleted, ...filters } = parseSearchParams(request, listItemsQuerySchema);

  const db = await getDb();
  const entries = await listEntries(db, workspace.id, { framework, deleted, filters });
  const page = entries.slice(offset, offset + limit).map(({ rank, row }) => ({ ...toItemResponse(row), rank }));
  return Response.json({ items: page, total: entries.length, limit, offset });
});

async function listEntries(
  db: Db,
  workspaceId: string,
  query: { framework?: Framework; deleted: ItemFilters["deleted"]; filters: Partial<ItemFilters> },
) {
  if (query.deleted !== "exclude") {
    // Deleted items have no rank; list them with the same text filters for the undo screen.
    const rows = await loadBacklogRows(db, { workspaceId, deleted: query.deleted });
    const search = query.filters?.search?.toLowerCase();
    return rows
      .filter((row) => !search || row.title.toLowerCase().includes(search))
      .map((row) => ({ row, rank: null as number | null }));
  }
  const ranking = await getBacklogRanking(db, { workspaceId, framework: query.framework, filters: query.filters });
  return [...ranking.ranked, ...ranking.needsInput]
    .map((entry) => ({ row: entry.item, rank: entry.rank }))
    .sort((a, b) => a.row.number - b.row.number);
}

/** Create an item; framework inputs are set afterwards with PUT .../inputs/{input} and a reason. */
export const POST = apiRoute<Params>(async ({ request, params }) => {
  const actor = await requireActor(request);
  requireCapability(actor, "editBacklog");
  const workspace = await requireWorkspace(actor, params.workspaceId);
  const fields = await parseJsonBody(request, createItemSchema);

  const db = await getDb();
  const item = await createItem(db, { workspaceId: workspace.id, actorId: actor.userId, fields });
  const [row] = await loadBacklogRows(db, { workspaceId: workspace.id, itemIds: [item.id] });
  return Response.json({ item: row && toItemResponse(row) }, { status: 201 });
});

/** Set the theme, the status or both on many items at once. */
export const PATCH = apiRoute<Params>(async ({ request, params }) => {
  const actor = await requireActor(request);
  requireCapability(actor, "editBacklog");
  const workspace = await requireWorkspace(actor, params.workspaceId);
  const changes = await parseJsonBody(request, bulkUpdateItemsSchema);

  const updated = await bulkUpdateItems(await getDb(), { workspaceId: workspace.id, actorId: actor.userId, changes });
  return Response.json({ updated: updated.length });
});

export const { PUT, DELETE, OPTIONS } = methodsNotAllowed(["GET", "POST", "PATCH"]);

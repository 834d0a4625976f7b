import { getDb } from "@/db";
import { listInputHistory } from "@/db/queries/backlog-inputs";
import { toItemResponse } from "@/lib/api/backlog-schemas";
import { parseIdParam } from "@/lib/api/params";
import { requireActor, requireCapability, requireWorkspace } from "@/lib/auth/actor";
import { deleteItems, getItemOrThrow, updateItem } from "@/lib/backlog/items";
import { updateItemSchema } from "@/lib/backlog/schemas";
import { loadBacklogRows } from "@/lib/backlog/view";
import { notFound } from "@/lib/errors";
import { methodsNotAllowed } from "@/lib/http/method-not-allowed";
import { apiRoute, parseJsonBody } from "@/lib/http/route";

export const dynamic = "force-dynamic";

type Params = { workspaceId: string; itemId: string };

/** Return one item with its effective inputs and the full input history, newest first. */
export const GET = apiRoute<Params>(async ({ request, params }) => {
  const actor = await requireActor(request);
  requireCapability(actor, "read");
  const workspace = await requireWorkspace(actor, params.workspaceId);
  const itemId = parseIdParam(params.itemId, "item");

  const db = await getDb();
  const [row] = await loadBacklogRows(db, { workspaceId: workspace.id, itemIds: [itemId] });
  if (!row) throw notFound("item");
  const history = await listInputHistory(db, { workspaceId: workspace.id, itemId });
  return Response.json({ item: toItemResponse(row), history });
});

/** Edit an item's fields; `version` must be the one last read, else 409 with the current version. */
export const PATCH = apiRoute<Params>(async ({ request, params }) => {
  const actor = await requireActor(request);
  requireCapability(actor, "editBacklog");
  const workspace = await requireWorkspace(actor, params.workspaceId);
  const itemId = parseIdParam(params.itemId, "item");
  const changes = await parseJsonBody(request, updateItemSchema);

  const db = await getDb();
  await updateItem(db, { workspaceId: workspace.id, actorId: actor.userId, itemId, changes });
  const [row] = await loadBacklogRows(db, { workspaceId: workspace.id, itemIds: [itemId] });
  if (!row) throw notFound("item");
  return Response.json({ item: toItemResponse(row) });
});

/** Soft-delete an item; POST .../restore undoes it. */
export const DELETE = apiRoute<Params>(async ({ request, params }) => {
  const actor = await requireActor(request);
  requireCapability(actor, "editBacklog");
  const workspace = await requireWorkspace(actor, params.workspaceId);
  const itemId = parseIdParam(params.itemId, "item");

  const db = await getDb();
  await getItemOrThrow(db, { workspaceId: workspace.id, itemId });
  const [deleted] = await deleteItems(db, { workspaceId: workspace.id, actorId: actor.userId, itemIds: [itemId] });
  if (!deleted) throw notFound("item");
  return Response.json({
    item: { id: deleted.id, deletedAt: deleted.deletedAt?.toISOString() ?? null },
    undo: { method: "POST", href: `/api/v1/workspaces/${workspace.id}/items/${itemId}/restore` },
  });
});

export const { POST, PUT, OPTIONS } = methodsNotAllowed(["GET", "PATCH", "DELETE"]);

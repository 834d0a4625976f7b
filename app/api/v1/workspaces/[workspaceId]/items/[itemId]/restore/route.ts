import { getDb } from "@/db";
import { toItemResponse } from "@/lib/api/backlog-schemas";
import { parseIdParam } from "@/lib/api/params";
import { requireActor, requireCapability, requireWorkspace } from "@/lib/auth/actor";
import { restoreItems } from "@/lib/backlog/items";
import { loadBacklogRows } from "@/lib/backlog/view";
import { notFound } from "@/lib/errors";
import { methodsNotAllowed } from "@/lib/http/method-not-allowed";
import { apiRoute } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** Undo a soft delete; an item that is not deleted is a 404. */
export const POST = apiRoute<{ workspaceId: string; itemId: string }>(async ({ request, params }) => {
  const actor = await requireActor(request);
  requireCapability(actor, "editBacklog");
  const workspace = await requireWorkspace(actor, params.workspaceId);
  const itemId = parseIdParam(params.itemId, "item", "Deleted item");

  const db = await getDb();
  const [restored] = await restoreItems(db, { workspaceId: workspace.id, actorId: actor.userId, itemIds: [itemId] });
  if (!restored) throw notFound("item", "Deleted item");
  const [row] = await loadBacklogRows(db, { workspaceId: workspace.id, itemIds: [itemId] });
  return Response.json({ item: row && toItemResponse(row) });
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["POST"]);

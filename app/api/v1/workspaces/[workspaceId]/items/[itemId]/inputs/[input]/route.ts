import { getDb } from "@/db";
import { toItemResponse } from "@/lib/api/backlog-schemas";
import { parseIdParam } from "@/lib/api/params";
import { requireActor, requireCapability, requireWorkspace } from "@/lib/auth/actor";
import { setPmInput } from "@/lib/backlog/inputs";
import { inputNameSchema, setInputBodySchema } from "@/lib/backlog/schemas";
import { loadBacklogRows } from "@/lib/backlog/view";
import { badRequest } from "@/lib/errors";
import { methodsNotAllowed } from "@/lib/http/method-not-allowed";
import { apiRoute, parseJsonBody } from "@/lib/http/route";
import { formatRankChange } from "@/lib/prioritization/changes";
import { describeScale, inputNames } from "@/lib/prioritization/scales";

export const dynamic = "force-dynamic";

type Params = { workspaceId: string; itemId: string; input: string };

/**
 * Set the PM value of one input with a reason (null clears it, so the AI or import value applies
 * again). Returns the item and the rank changes the value caused.
 */
export const PUT = apiRoute<Params>(async ({ request, params }) => {
  const actor = await requireActor(request);
  requireCapability(actor, "editBacklog");
  const workspace = await requireWorkspace(actor, params.workspaceId);
  const itemId = parseIdParam(params.itemId, "item");
  const input = inputNameSchema.safeParse(params.input);
  if (!input.success) {
    throw badRequest(`Unknown input "${params.input}". Use one of ${inputNames.join(", ")}.`, { field: "input" });
  }
  const body = await parseJsonBody(request, setInputBodySchema);

  const db = await getDb();
  const { changes } = await setPmInput(db, {
    workspaceId: workspace.id,
    actorId: actor.userId,
    itemId,
    input: input.data,
    value: body.value,
    reason: body.reason,
    version: body.version,
  });
  const [row] = await loadBacklogRows(db, { workspaceId: workspace.id, itemIds: [itemId] });
  return Response.json({
    item: row && toItemResponse(row),
    scale: describeScale(input.data),
    changes: changes.map((change) => ({ ...change, summary: formatRankChange(change) })),
  });
});

export const { GET, POST, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["PUT"]);

import { z } from "zod";
import { getDb } from "@/db";
import { parseIdParam } from "@/lib/api/params";
import { requireActor, requireCapability, requireWorkspace } from "@/lib/auth/actor";
import { addSuggestedItem } from "@/lib/feedback/suggestions";
import { methodsNotAllowed } from "@/lib/http/method-not-allowed";
import { apiRoute, parseJsonBody } from "@/lib/http/route";

export const dynamic = "force-dynamic";

const addSchema = z.object({
  batchId: z.uuid(),
  /** Position of the suggestion in its batch. */
  index: z.number().int().min(0).max(100),
});

/** Add one suggestion of the run to the backlog as a new item; 409 when a live item already covers it. */
export const POST = apiRoute<{ workspaceId: string; runId: string }>(async ({ request, params }) => {
  const actor = await requireActor(request);
  requireCapability(actor, "editBacklog");
  const workspace = await requireWorkspace(actor, params.workspaceId);
  const runId = parseIdParam(params.runId, "run");
  const body = await parseJsonBody(request, addSchema);

  const item = await addSuggestedItem(await getDb(), {
    workspaceId: workspace.id,
    actorId: actor.userId,
    runId,
    ...body,
  });
  return Response.json({ item }, { status: 201 });
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["POST"]);

import { getDb } from "@/db";
import { requireActor, requireCapability, requireWorkspace } from "@/lib/auth/actor";
import { reviewProposals, reviewProposalsSchema } from "@/lib/backlog/review";
import { methodsNotAllowed } from "@/lib/http/method-not-allowed";
import { apiRoute, parseJsonBody } from "@/lib/http/route";
import { formatRankChange } from "@/lib/prioritization/changes";

export const dynamic = "force-dynamic";

/** Accept or reject AI proposals: listed ones, or every pending one of a run or a batch. */
export const POST = apiRoute<{ workspaceId: string }>(async ({ request, params }) => {
  const actor = await requireActor(request);
  requireCapability(actor, "editBacklog");
  const workspace = await requireWorkspace(actor, params.workspaceId);
  const selection = await parseJsonBody(request, reviewProposalsSchema);

  const result = await reviewProposals(await getDb(), { workspaceId: workspace.id, actorId: actor.userId, selection });
  return Response.json({
    reviewed: result.reviewed.map((row) => ({ id: row.id, itemId: row.itemId, input: row.input, status: row.status })),
    skipped: result.skipped,
    skippedReasons: result.skippedReasons,
    changes: result.changes.map((change) => ({ ...change, summary: formatRankChange(change) })),
  });
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["POST"]);

import { getDb } from "@/db";
import { parseIdParam } from "@/lib/api/params";
import { requireActor, requireCapability, requireWorkspace } from "@/lib/auth/actor";
import { methodsNotAllowed } from "@/lib/http/method-not-allowed";
import { apiRoute, parseSearchParams } from "@/lib/http/route";
import { listRunChanges, runChangesQuerySchema } from "@/lib/prioritization/ai-changes";
import { getPrioritizationRunOrThrow } from "@/lib/prioritization/ai-runs";
import { formatRankChange } from "@/lib/prioritization/changes";

export const dynamic = "force-dynamic";

/**
 * List what changed and why: items whose rank moved since the run started (`mode=since`), or would
 * move if every proposal of the run were accepted (`mode=preview`, optionally over `baseRunId`).
 */
export const GET = apiRoute<{ workspaceId: string; runId: string }>(async ({ request, params }) => {
  const actor = await requireActor(request);
  requireCapability(actor, "read");
  const workspace = await requireWorkspace(actor, params.workspaceId);
  const runId = parseIdParam(params.runId, "run");
  const query = parseSearchParams(request, runChangesQuerySchema);

  const db = await getDb();
  const run = await getPrioritizationRunOrThrow(db, { workspaceId: workspace.id, runId });
  if (query.baseRunId) await getPrioritizationRunOrThrow(db, { workspaceId: workspace.id, runId: query.baseRunId });
  const { framework, changes } = await listRunChanges(db, { workspaceId: workspace.id, run, query });

  return Response.json({
    framework,
    changes: changes.map((change) => ({ ...change, summary: formatRankChange(change) })),
  });
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["GET"]);

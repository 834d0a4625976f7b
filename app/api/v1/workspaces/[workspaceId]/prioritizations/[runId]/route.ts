import { getDb } from "@/db";
import { parseIdParam } from "@/lib/api/params";
import { requireActor, requireCapability, requireWorkspace } from "@/lib/auth/actor";
import { methodsNotAllowed } from "@/lib/http/method-not-allowed";
import { apiRoute } from "@/lib/http/route";
import { getPrioritizationRunView } from "@/lib/prioritization/ai-runs";

export const dynamic = "force-dynamic";

/**
 * Return a prioritization run as the Prioritize page shows it: progress folded from its events, its
 * proposals by batch with each item's current value, what the prompt checks dropped, and the
 * cited documents.
 */
export const GET = apiRoute<{ workspaceId: string; runId: string }>(async ({ request, params }) => {
  const actor = await requireActor(request);
  requireCapability(actor, "read");
  const workspace = await requireWorkspace(actor, params.workspaceId);
  const runId = parseIdParam(params.runId, "run");

  const view = await getPrioritizationRunView(await getDb(), { workspaceId: workspace.id, runId });
  return Response.json(view);
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["GET"]);

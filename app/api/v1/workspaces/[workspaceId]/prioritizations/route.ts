import { getDb } from "@/db";
import { requireActor, requireCapability, requireWorkspace } from "@/lib/auth/actor";
import { methodsNotAllowed } from "@/lib/http/method-not-allowed";
import { apiRoute, parseJsonBody, parseSearchParams } from "@/lib/http/route";
import { getPipelineRuntime } from "@/lib/pipeline/app-runtime";
import { listRunsOfKind } from "@/lib/prioritization/ai-run-view";
import {
  listPrioritizationsQuerySchema,
  startPrioritization,
  startPrioritizationSchema,
} from "@/lib/prioritization/ai-runs";
import { PRIORITIZATION_TASK_KIND } from "@/lib/prioritization/ai-task";

export const dynamic = "force-dynamic";

type Params = { workspaceId: string };

/**
 * Start "Prioritize with AI" on the whole backlog, a selection of items or some themes. Returns
 * 202 with the run id as soon as the run is queued. Follow it with GET /api/v1/runs/{runId}/events.
 */
export const POST = apiRoute<Params>(async ({ request, params }) => {
  const actor = await requireActor(request);
  requireCapability(actor, "runAi");
  const workspace = await requireWorkspace(actor, params.workspaceId);
  const body = await parseJsonBody(request, startPrioritizationSchema);

  const runtime = await getPipelineRuntime();
  const run = await startPrioritization(runtime, { actor, workspaceId: workspace.id, body });

  return Response.json(
    { runId: run.id, status: run.status },
    { status: 202, headers: { location: `/api/v1/workspaces/${workspace.id}/prioritizations/${run.id}` } },
  );
});

/** List the workspace's prioritization runs, newest first. */
export const GET = apiRoute<Params>(async ({ request, params }) => {
  const actor = await requireActor(request);
  requireCapability(actor, "read");
  const workspace = await requireWorkspace(actor, params.workspaceId);
  const query = parseSearchParams(request, listPrioritizationsQuerySchema);

  const runs = await listRunsOfKind(await getDb(), {
    workspaceId: workspace.id,
    kind: PRIORITIZATION_TASK_KIND,
    limit: query.limit,
  });
  return Response.json({
    runs: runs.map((run) => ({
      id: run.id,
      status: run.status,
      language: run.language,
      input: run.input,
      batchCount: run.batchCount,
      batchesSucceeded: run.batchesSucceeded,
      batchesFailed: run.batchesFailed,
      createdBy: run.createdByName,
      createdAt: run.createdAt,
      finishedAt: run.finishedAt,
    })),
  });
});

export const { PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["GET", "POST"]);

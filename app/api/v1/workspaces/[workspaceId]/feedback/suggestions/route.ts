import { z } from "zod";
import { getDb } from "@/db";
import { requireActor, requireCapability, requireWorkspace } from "@/lib/auth/actor";
import { getLatestFeedbackRun, startFeedbackRun, startFeedbackRunSchema } from "@/lib/feedback/runs";
import { getSuggestionRunView } from "@/lib/feedback/suggestions";
import { ITEM_SUGGESTIONS_TASK_KIND } from "@/lib/feedback/tasks";
import { methodsNotAllowed } from "@/lib/http/method-not-allowed";
import { apiRoute, parseJsonBody, parseSearchParams } from "@/lib/http/route";
import { getPipelineRuntime } from "@/lib/pipeline/app-runtime";

export const dynamic = "force-dynamic";

type Params = { workspaceId: string };

/**
 * Start "Suggest items from feedback": one run, one batch per theme in parallel. Returns 202 with
 * the run id at once; a theme whose batch fails leaves the other themes' suggestions.
 */
export const POST = apiRoute<Params>(async ({ request, params }) => {
  const actor = await requireActor(request);
  requireCapability(actor, "runAi");
  const workspace = await requireWorkspace(actor, params.workspaceId);
  const body = await parseJsonBody(request, startFeedbackRunSchema);

  const runtime = await getPipelineRuntime();
  const run = await startFeedbackRun(runtime, {
    actor,
    workspaceId: workspace.id,
    kind: ITEM_SUGGESTIONS_TASK_KIND,
    body,
  });

  return Response.json({ runId: run.id, status: run.status }, { status: 202 });
});

const querySchema = z.object({ runId: z.uuid().optional() });

/** Return a suggestion run (the latest unless `runId` is given) with its suggestions by theme. */
export const GET = apiRoute<Params>(async ({ request, params }) => {
  const actor = await requireActor(request);
  requireCapability(actor, "read");
  const workspace = await requireWorkspace(actor, params.workspaceId);
  const query = parseSearchParams(request, querySchema);

  const db = await getDb();
  const latest = await getLatestFeedbackRun(db, {
    workspaceId: workspace.id,
    kind: ITEM_SUGGESTIONS_TASK_KIND,
    runId: query.runId,
  });
  if (!latest) return Response.json({ run: null });
  return Response.json(await getSuggestionRunView(db, { workspaceId: workspace.id, runId: latest.run.id }));
});

export const { PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["GET", "POST"]);

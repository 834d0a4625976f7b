import { getDb } from "@/db";
import { requireActor, requireCapability, requireWorkspace } from "@/lib/auth/actor";
import { getFeedbackThemes, startFeedbackRun, startFeedbackRunSchema } from "@/lib/feedback/runs";
import { FEEDBACK_SUMMARY_TASK_KIND } from "@/lib/feedback/tasks";
import { methodsNotAllowed } from "@/lib/http/method-not-allowed";
import { apiRoute, parseJsonBody } from "@/lib/http/route";
import { getPipelineRuntime } from "@/lib/pipeline/app-runtime";

export const dynamic = "force-dynamic";

type Params = { workspaceId: string };

/** Start "Summarize feedback": one batch per theme with feedback. Returns 202 with the run id at once. */
export const POST = apiRoute<Params>(async ({ request, params }) => {
  const actor = await requireActor(request);
  requireCapability(actor, "runAi");
  const workspace = await requireWorkspace(actor, params.workspaceId);
  const body = await parseJsonBody(request, startFeedbackRunSchema);

  const runtime = await getPipelineRuntime();
  const run = await startFeedbackRun(runtime, {
    actor,
    workspaceId: workspace.id,
    kind: FEEDBACK_SUMMARY_TASK_KIND,
    body,
  });

  return Response.json({ runId: run.id, status: run.status }, { status: 202 });
});

/** List the themes with feedback, their snippet counts and latest summaries, and the cited snippets. */
export const GET = apiRoute<Params>(async ({ request, params }) => {
  const actor = await requireActor(request);
  requireCapability(actor, "read");
  const workspace = await requireWorkspace(actor, params.workspaceId);

  return Response.json(await getFeedbackThemes(await getDb(), { workspaceId: workspace.id }));
});

export const { PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["GET", "POST"]);

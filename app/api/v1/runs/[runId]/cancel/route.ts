import { requireActor, requireCapability } from "@/lib/auth/actor";
import { methodsNotAllowed } from "@/lib/http/method-not-allowed";
import { apiRoute } from "@/lib/http/route";
import { getPipelineRuntime } from "@/lib/pipeline/app-runtime";
import { cancelRun, getRunForActorOrThrow } from "@/lib/pipeline/service";

export const dynamic = "force-dynamic";

/**
 * Cancel a queued or running run: pending batches are not started and in-flight model calls are
 * aborted. Returns 202, because a worker on another instance may take a moment to stop; the
 * event stream reports `run_finished` when it has.
 */
export const POST = apiRoute<{ runId: string }>(async ({ request, params }) => {
  const actor = await requireActor(request);
  requireCapability(actor, "runAi");
  const runtime = await getPipelineRuntime();
  const run = await getRunForActorOrThrow(runtime.deps.handle.db, actor, params.runId);

  const updated = await cancelRun(runtime, run);

  return Response.json({ run: updated }, { status: 202 });
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["POST"]);

import { requireActor, requireCapability } from "@/lib/auth/actor";
import { methodsNotAllowed } from "@/lib/http/method-not-allowed";
import { apiRoute } from "@/lib/http/route";
import { getPipelineRuntime } from "@/lib/pipeline/app-runtime";
import { getRunForActorOrThrow, retryFailedBatches } from "@/lib/pipeline/service";

export const dynamic = "force-dynamic";

/**
 * Queue the failed, interrupted and cancelled batches of a finished run again, and keep the
 * succeeded ones and those that the content filter stopped. A run cancelled before its batches
 * were planned is queued again whole.
 */
export const POST = apiRoute<{ runId: string }>(async ({ request, params }) => {
  const actor = await requireActor(request);
  requireCapability(actor, "runAi");
  const runtime = await getPipelineRuntime();
  const run = await getRunForActorOrThrow(runtime.deps.handle.db, actor, params.runId);

  const result = await retryFailedBatches(runtime, run);

  return Response.json(result, { status: 202 });
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["POST"]);

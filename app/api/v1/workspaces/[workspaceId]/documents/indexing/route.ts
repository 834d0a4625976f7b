import { getDb } from "@/db";
import { getLatestKnowledgeJob, queueKnowledgeJob } from "@/db/queries/knowledge";
import { requireActor, requireCapability, requireWorkspace } from "@/lib/auth/actor";
import { methodsNotAllowed } from "@/lib/http/method-not-allowed";
import { apiRoute } from "@/lib/http/route";
import { wakeKnowledgeIndexer } from "@/lib/knowledge/runtime";
import { toJobStatus } from "@/lib/knowledge/status";

export const dynamic = "force-dynamic";

/** The latest embedding job of the workspace, with its progress; `job` is null before the first one. */
export const GET = apiRoute<{ workspaceId: string }>(async ({ request, params }) => {
  const actor = await requireActor(request);
  requireCapability(actor, "read");
  await requireWorkspace(actor, params.workspaceId);

  const job = await getLatestKnowledgeJob(await getDb(), { workspaceId: params.workspaceId });

  return Response.json({ job: job ? toJobStatus(job) : null });
});

/** Queue an embedding job now (it embeds only chunks that lack an embedding from the configured model). */
export const POST = apiRoute<{ workspaceId: string }>(async ({ request, params }) => {
  const actor = await requireActor(request);
  requireCapability(actor, "editBacklog");
  await requireWorkspace(actor, params.workspaceId);

  const job = await queueKnowledgeJob(await getDb(), { workspaceId: params.workspaceId, requestedById: actor.userId });
  wakeKnowledgeIndexer();

  return Response.json({ job: toJobStatus(job) }, { status: 202 });
});

export const { PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["GET", "POST"]);

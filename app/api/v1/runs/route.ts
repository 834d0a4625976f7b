import { z } from "zod";
import { getDb } from "@/db";
import { requireActor, requireCapability, requireWorkspace } from "@/lib/auth/actor";
import { methodsNotAllowed } from "@/lib/http/method-not-allowed";
import { apiRoute, parseJsonBody, parseSearchParams } from "@/lib/http/route";
import { getPipelineRuntime } from "@/lib/pipeline/app-runtime";
import { listRunsForActor, startRunFromApi, startRunSchema } from "@/lib/pipeline/service";

export const dynamic = "force-dynamic";

/** Start a run: it is queued for a worker and the response returns at once with its id (202). */
export const POST = apiRoute(async ({ request }) => {
  const actor = await requireActor(request);
  requireCapability(actor, "runAi");
  const body = await parseJsonBody(request, startRunSchema);
  await requireWorkspace(actor, body.workspaceId);

  const runtime = await getPipelineRuntime();
  const run = await startRunFromApi(runtime, {
    actor,
    workspaceId: body.workspaceId,
    kind: body.kind,
    input: body.input,
    language: body.language ?? actor.locale ?? "en",
    options: body.options,
  });

  return Response.json({ run }, { status: 202, headers: { location: `/api/v1/runs/${run.id}` } });
});

const listRunsSchema = z.object({
  workspaceId: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.iso.datetime({ offset: true }).optional(),
});

/** List runs newest first: of one workspace, or of every workspace for an admin who names none. */
export const GET = apiRoute(async ({ request }) => {
  const actor = await requireActor(request);
  requireCapability(actor, "read");
  const query = parseSearchParams(request, listRunsSchema);
  if (query.workspaceId) await requireWorkspace(actor, query.workspaceId);

  const runs = await listRunsForActor(await getDb(), actor, {
    workspaceId: query.workspaceId,
    limit: query.limit,
    before: query.before ? new Date(query.before) : undefined,
  });

  return Response.json({ runs });
});

export const { PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["GET", "POST"]);

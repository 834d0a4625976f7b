import { getDb } from "@/db";
import { rankingQuerySchema, toRankingResponse } from "@/lib/api/backlog-schemas";
import { requireActor, requireCapability, requireWorkspace } from "@/lib/auth/actor";
import { getBacklogRanking } from "@/lib/backlog/view";
import { methodsNotAllowed } from "@/lib/http/method-not-allowed";
import { apiRoute, parseSearchParams } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** Return the ranked backlog with scores in every framework and each input's source. */
export const GET = apiRoute<{ workspaceId: string }>(async ({ request, params }) => {
  const actor = await requireActor(request);
  requireCapability(actor, "read");
  const workspace = await requireWorkspace(actor, params.workspaceId);
  const { framework, iceMode, limit, offset, ...filters } = parseSearchParams(request, rankingQuerySchema);

  const ranking = await getBacklogRanking(await getDb(), { workspaceId: workspace.id, framework, iceMode, filters });
  return Response.json(toRankingResponse(ranking, { limit, offset }));
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["GET"]);

import { getDb } from "@/db";
import { rankingQuerySchema, toRankingResponse } from "@/lib/api/backlog-schemas";
import { requireActor, requireCapability, requireWorkspace } from "@/lib/auth/actor";
import { getBacklogRanking } from "@/lib/backlog/view";
import { badRequest } from "@/lib/errors";
import { methodsNotAllowed } from "@/lib/http/method-not-allowed";
import { apiRoute, parseSearchParams } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/**
 * Return the ranked backlog with scores in every framework and each input's source, now or as it
 * was at `at`. An unknown query parameter is a 400 naming it.
 */
export const GET = apiRoute<{ workspaceId: string }>(async ({ request, params }) => {
  const actor = await requireActor(request);
  requireCapability(actor, "read");
  const workspace = await requireWorkspace(actor, params.workspaceId);
  const { framework, iceMode, limit, offset, at, ...filters } = parseSearchParams(request, rankingQuerySchema);
  const asOf = at === undefined ? undefined : new Date(at);
  if (asOf && asOf.getTime() > Date.now()) {
    throw badRequest("at is in the future. Send a past time, or leave at out for the current ranking.", {
      field: "at",
    });
  }

  const ranking = await getBacklogRanking(await getDb(), {
    workspaceId: workspace.id,
    framework,
    iceMode,
    at: asOf,
    filters,
  });
  return Response.json(toRankingResponse(ranking, { limit, offset }));
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["GET"]);

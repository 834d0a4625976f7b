import { z } from "zod";
import { getDb } from "@/db";
import { requireActor, requireCapability } from "@/lib/auth/actor";
import { methodsNotAllowed } from "@/lib/http/method-not-allowed";
import { apiRoute, parseSearchParams } from "@/lib/http/route";
import { getRunDetail, getRunForActorOrThrow } from "@/lib/pipeline/service";

export const dynamic = "force-dynamic";

const querySchema = z.object({
  /** `calls` adds every model call with its messages, raw and repaired output. */
  include: z.enum(["calls"]).optional(),
});

/** Return a run with its batches, and with its model calls when `?include=calls`. */
export const GET = apiRoute<{ runId: string }>(async ({ request, params }) => {
  const actor = await requireActor(request);
  requireCapability(actor, "read");
  const query = parseSearchParams(request, querySchema);
  const db = await getDb();
  const run = await getRunForActorOrThrow(db, actor, params.runId);

  return Response.json(await getRunDetail(db, run, { calls: query.include === "calls" }));
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["GET"]);

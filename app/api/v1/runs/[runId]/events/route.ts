import { z } from "zod";
import { getDatabase } from "@/db";
import { createAccessCheck, requireActor, requireCapability } from "@/lib/auth/actor";
import { methodsNotAllowed } from "@/lib/http/method-not-allowed";
import { apiRoute, parseSearchParams } from "@/lib/http/route";
import { readPipelineSettings } from "@/lib/pipeline/deps";
import { createRunEventStream } from "@/lib/pipeline/event-stream";
import { getRunForActorOrThrow, mayStillReadRunKind } from "@/lib/pipeline/service";

export const dynamic = "force-dynamic";

const querySchema = z.object({
  /** Same as the `Last-Event-ID` header, for clients that cannot set headers. */
  lastEventId: z.coerce.number().int().min(0).optional(),
});

/**
 * Server-sent events of a run: a `state` event with the run and its batches, then progress events
 * as they are stored, until `run_finished`. Reconnecting with `Last-Event-ID` resumes after it.
 */
export const GET = apiRoute<{ runId: string }>(async ({ request, params, log }) => {
  const actor = await requireActor(request);
  requireCapability(actor, "read");
  const query = parseSearchParams(request, querySchema);
  const header = request.headers.get("last-event-id");
  const fromHeader = header && /^\d+$/.test(header) ? Number(header) : undefined;
  const handle = await getDatabase();
  const run = await getRunForActorOrThrow(handle.db, actor, params.runId);
  const checkCredentials = createAccessCheck(request, actor);
  // A role change while the stream is open can take away the right to see runs of this kind.
  const checkAccess = async () =>
    (await checkCredentials()) && (await mayStillReadRunKind(handle.db, { userId: actor.userId, kind: run.kind }));

  const stream = createRunEventStream({
    handle,
    run,
    lastEventId: fromHeader ?? query.lastEventId,
    pollMs: readPipelineSettings().eventsPollMs,
    signal: request.signal,
    log: log.child({ runId: run.id }),
    checkAccess,
  });

  return new Response(stream, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
      // Proxies such as nginx buffer responses unless this header disables it.
      "x-accel-buffering": "no",
    },
  });
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["GET"]);

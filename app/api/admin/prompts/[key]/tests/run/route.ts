import { getDb } from "@/db";
import { getGateway } from "@/lib/ai";
import { methodsNotAllowed } from "@/lib/http/method-not-allowed";
import { apiRoute, parseJsonBody } from "@/lib/http/route";
import { parsePromptKey, requirePromptAccess } from "@/lib/prompt-admin/access";
import { getPromptOrThrow } from "@/lib/prompt-admin/publishing";
import { singleRunRequestSchema, startSingleTestRun } from "@/lib/prompt-admin/single-run";

export const dynamic = "force-dynamic";

/**
 * Run one test case on a version or on the editor's text. The response streams newline-delimited
 * JSON events: the request sent, the answer's text as it arrives, each attempt's outcome, then the
 * stored result with its verdict. The result is stored even if the client goes away.
 */
export const POST = apiRoute<{ key: string }>(async ({ request, params }) => {
  const actor = await requirePromptAccess(request, "editPrompts");
  const db = await getDb();
  const prompt = await getPromptOrThrow(db, parsePromptKey(params.key));
  const body = await parseJsonBody(request, singleRunRequestSchema);

  const stream = await startSingleTestRun(db, { actor, prompt, request: body, gateway: getGateway() });

  return new Response(stream, {
    headers: {
      "content-type": "application/x-ndjson; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      "x-accel-buffering": "no",
    },
  });
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["POST"]);

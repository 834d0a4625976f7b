import { getDb } from "@/db";
import { methodsNotAllowed } from "@/lib/http/method-not-allowed";
import { apiRoute, parseJsonBody } from "@/lib/http/route";
import { parseLanguage, parsePromptKey, requirePromptAccess } from "@/lib/prompt-admin/access";
import { rollbackRequestSchema, rollbackWithNote } from "@/lib/prompt-admin/publishing";

export const dynamic = "force-dynamic";

type Params = { key: string; language: string };

/** Publish an older version again, with a note saying why; 409 when someone published meanwhile. */
export const POST = apiRoute<Params>(async ({ request, params }) => {
  const actor = await requirePromptAccess(request, "editPrompts");
  const body = await parseJsonBody(request, rollbackRequestSchema);

  const result = await rollbackWithNote(await getDb(), {
    actor,
    key: parsePromptKey(params.key),
    language: parseLanguage(params.language),
    request: body,
  });

  return Response.json(result);
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["POST"]);

import { getDb } from "@/db";
import { methodsNotAllowed } from "@/lib/http/method-not-allowed";
import { apiRoute, parseJsonBody } from "@/lib/http/route";
import { requirePromptAccess, requirePromptLanguage } from "@/lib/prompt-admin/access";
import { rollbackRequestSchema, rollbackWithNote } from "@/lib/prompt-admin/publishing";

export const dynamic = "force-dynamic";

type Params = { key: string; language: string };

/** Publish an older version again, with a note saying why; 409 when someone published meanwhile. */
export const POST = apiRoute<Params>(async ({ request, params }) => {
  const actor = await requirePromptAccess(request, "editPrompts");
  const db = await getDb();
  const { prompt, language } = await requirePromptLanguage(db, params);
  const body = await parseJsonBody(request, rollbackRequestSchema);

  const result = await rollbackWithNote(db, {
    actor,
    key: prompt.key,
    language,
    request: body,
  });

  return Response.json(result);
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["POST"]);

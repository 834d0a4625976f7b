import { getDb } from "@/db";
import { methodsNotAllowed } from "@/lib/http/method-not-allowed";
import { apiRoute, parseJsonBody } from "@/lib/http/route";
import { requirePromptAccess, requirePromptLanguage } from "@/lib/prompt-admin/access";
import { savePromptDraft, savePromptDraftSchema } from "@/lib/prompts/store";

export const dynamic = "force-dynamic";

type Params = { key: string; language: string };

const bodySchema = savePromptDraftSchema.omit({ key: true, language: true, actorId: true });

/**
 * Save work in progress without minting a version. Unfinished text is kept and its problems are
 * returned as `issues`. A save based on an older draft or version is a 409 that changes nothing.
 */
export const PUT = apiRoute<Params>(async ({ request, params }) => {
  const actor = await requirePromptAccess(request, "editPrompts");
  const db = await getDb();
  const { prompt, language } = await requirePromptLanguage(db, params);
  const body = await parseJsonBody(request, bodySchema);

  const saved = await savePromptDraft(db, { ...body, key: prompt.key, language, actorId: actor.userId });

  return Response.json(saved);
});

export const { GET, POST, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["PUT"]);

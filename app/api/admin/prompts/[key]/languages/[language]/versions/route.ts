import { getDb } from "@/db";
import { methodsNotAllowed } from "@/lib/http/method-not-allowed";
import { apiRoute, parseJsonBody } from "@/lib/http/route";
import { requirePromptAccess, requirePromptLanguage } from "@/lib/prompt-admin/access";
import { savePromptVersion, savePromptVersionSchema } from "@/lib/prompts/store";

export const dynamic = "force-dynamic";

type Params = { key: string; language: string };

const bodySchema = savePromptVersionSchema.omit({ key: true, language: true, actorId: true });

/**
 * Save an immutable version with a note. Lint problems are a 400 listing each issue. A save based
 * on an older version than the latest is a 409 with both versions, and nothing is saved.
 */
export const POST = apiRoute<Params>(async ({ request, params }) => {
  const actor = await requirePromptAccess(request, "editPrompts");
  const db = await getDb();
  const { prompt, language } = await requirePromptLanguage(db, params);
  const body = await parseJsonBody(request, bodySchema);

  const saved = await savePromptVersion(db, { ...body, key: prompt.key, language, actorId: actor.userId });

  return Response.json(saved, { status: saved.created ? 201 : 200 });
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["POST"]);

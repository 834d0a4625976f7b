import { getDb } from "@/db";
import { methodsNotAllowed } from "@/lib/http/method-not-allowed";
import { apiRoute } from "@/lib/http/route";
import { parseLanguage, parsePromptKey, requirePromptAccess } from "@/lib/prompt-admin/access";
import { getLanguageHistory } from "@/lib/prompt-admin/history";
import { getPromptOrThrow } from "@/lib/prompt-admin/publishing";

export const dynamic = "force-dynamic";

type Params = { key: string; language: string };

/** List the versions of one language, newest first, with author, note, time and publication notes. */
export const GET = apiRoute<Params>(async ({ request, params }) => {
  await requirePromptAccess(request, "readPrompts");
  const db = await getDb();
  const prompt = await getPromptOrThrow(db, parsePromptKey(params.key));

  return Response.json(await getLanguageHistory(db, { key: prompt.key, language: parseLanguage(params.language) }));
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["GET"]);

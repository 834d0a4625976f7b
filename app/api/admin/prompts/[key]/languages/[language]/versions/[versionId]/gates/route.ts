import { getDb } from "@/db";
import { getModelInfo } from "@/lib/ai";
import { methodsNotAllowed } from "@/lib/http/method-not-allowed";
import { apiRoute } from "@/lib/http/route";
import { parseLanguage, parsePromptKey, requirePromptAccess } from "@/lib/prompt-admin/access";
import { checkPublishGates, getPromptOrThrow, getVersionOrThrow } from "@/lib/prompt-admin/publishing";

export const dynamic = "force-dynamic";

type Params = { key: string; language: string; versionId: string };

/** Whether the version may be published now, and if not, why: the preview, the test cases, or both. */
export const GET = apiRoute<Params>(async ({ request, params }) => {
  await requirePromptAccess(request, "readPrompts");
  const db = await getDb();
  const prompt = await getPromptOrThrow(db, parsePromptKey(params.key));
  const version = await getVersionOrThrow(db, {
    key: prompt.key,
    language: parseLanguage(params.language),
    versionId: params.versionId,
  });

  return Response.json(await checkPublishGates(db, { prompt, version, modelInfo: getModelInfo() }));
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["GET"]);

import { getDb } from "@/db";
import { getModelInfo } from "@/lib/ai";
import { methodsNotAllowed } from "@/lib/http/method-not-allowed";
import { apiRoute, parseJsonBody } from "@/lib/http/route";
import { requirePromptAccess, requirePromptLanguage } from "@/lib/prompt-admin/access";
import { publishRequestSchema, publishWithGates } from "@/lib/prompt-admin/publishing";

export const dynamic = "force-dynamic";

type Params = { key: string; language: string };

/**
 * Make a version the live one for its language. A version whose preview or test cases block it is
 * a 422 saying why; a publish by someone else since `basePublishedVersionId` is a 409.
 */
export const POST = apiRoute<Params>(async ({ request, params }) => {
  const actor = await requirePromptAccess(request, "editPrompts");
  const db = await getDb();
  const { prompt, language } = await requirePromptLanguage(db, params);
  const body = await parseJsonBody(request, publishRequestSchema);

  const result = await publishWithGates(db, {
    actor,
    key: prompt.key,
    language,
    request: body,
    modelInfo: getModelInfo(),
  });

  return Response.json(result);
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["POST"]);

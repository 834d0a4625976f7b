import { getDb } from "@/db";
import { methodsNotAllowed } from "@/lib/http/method-not-allowed";
import { apiRoute } from "@/lib/http/route";
import { parseLanguage, parsePromptKey, requirePromptAccess } from "@/lib/prompt-admin/access";
import { getVersionOrThrow } from "@/lib/prompt-admin/publishing";

export const dynamic = "force-dynamic";

type Params = { key: string; language: string; versionId: string };

/** One version with its texts and parameters, such as the one a conflict screen shows beside yours. */
export const GET = apiRoute<Params>(async ({ request, params }) => {
  await requirePromptAccess(request, "readPrompts");

  const version = await getVersionOrThrow(await getDb(), {
    key: parsePromptKey(params.key),
    language: parseLanguage(params.language),
    versionId: params.versionId,
  });

  return Response.json({ version });
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["GET"]);

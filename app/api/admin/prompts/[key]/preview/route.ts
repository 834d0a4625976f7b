import { getDb } from "@/db";
import { getModelInfo } from "@/lib/ai";
import { methodsNotAllowed } from "@/lib/http/method-not-allowed";
import { apiRoute, parseJsonBody } from "@/lib/http/route";
import { parsePromptKey, requirePromptAccess } from "@/lib/prompt-admin/access";
import { buildPreview, previewRequestSchema } from "@/lib/prompt-admin/preview";
import { getPromptOrThrow } from "@/lib/prompt-admin/publishing";

export const dynamic = "force-dynamic";

/**
 * Render texts (saved or not) with the sample variables or edited ones: the exact messages, the
 * model and parameters, a token estimate and the placeholders left unresolved. Writes nothing.
 */
export const POST = apiRoute<{ key: string }>(async ({ request, params }) => {
  await requirePromptAccess(request, "readPrompts");
  const prompt = await getPromptOrThrow(await getDb(), parsePromptKey(params.key));
  const body = await parseJsonBody(request, previewRequestSchema);

  return Response.json(buildPreview(prompt, body, getModelInfo()));
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["POST"]);

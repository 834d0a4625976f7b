import { getDb } from "@/db";
import { notFound } from "@/lib/errors";
import { methodsNotAllowed } from "@/lib/http/method-not-allowed";
import { apiRoute } from "@/lib/http/route";
import { requirePromptAccess } from "@/lib/prompt-admin/access";
import { loadEditorData } from "@/lib/prompt-admin/editor-data";

export const dynamic = "force-dynamic";

/** Return a prompt with its declared variables, the state of each language, its test cases and its publish gate. */
export const GET = apiRoute<{ key: string }>(async ({ request, params }) => {
  await requirePromptAccess(request, "readPrompts");

  const data = await loadEditorData(await getDb(), params.key);
  if (!data) throw notFound("prompt", `Prompt ${params.key}`);

  return Response.json(data);
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["GET"]);

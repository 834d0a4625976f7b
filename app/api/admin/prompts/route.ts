import { getDb } from "@/db";
import { methodsNotAllowed } from "@/lib/http/method-not-allowed";
import { apiRoute } from "@/lib/http/route";
import { requirePromptAccess } from "@/lib/prompt-admin/access";
import { listPromptOverviews } from "@/lib/prompt-admin/overview";

export const dynamic = "force-dynamic";

/** Every prompt with, per language, the live version, draft, last edit, last test result and drift. */
export const GET = apiRoute(async ({ request }) => {
  await requirePromptAccess(request, "readPrompts");

  const prompts = await listPromptOverviews(await getDb());

  return Response.json({ prompts });
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["GET"]);

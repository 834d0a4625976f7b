import { z } from "zod";
import { getDb } from "@/db";
import { methodsNotAllowed } from "@/lib/http/method-not-allowed";
import { apiRoute, parseSearchParams } from "@/lib/http/route";
import { parsePromptKey, requirePromptAccess } from "@/lib/prompt-admin/access";
import { diffPromptVersions } from "@/lib/prompt-admin/history";
import { getPromptOrThrow } from "@/lib/prompt-admin/publishing";
import { languageSchema } from "@/lib/prompts/manifest";

export const dynamic = "force-dynamic";

const querySchema = z.object({
  from: z.uuid(),
  to: z.uuid(),
  fromLanguage: languageSchema,
  /** Defaults to `fromLanguage`; another language compares translations. */
  toLanguage: languageSchema.optional(),
});

/** Word-level diff of two versions' system prompts and user templates, and their parameters. */
export const GET = apiRoute<{ key: string }>(async ({ request, params }) => {
  await requirePromptAccess(request, "readPrompts");
  const db = await getDb();
  const prompt = await getPromptOrThrow(db, parsePromptKey(params.key));
  const query = parseSearchParams(request, querySchema);

  const diff = await diffPromptVersions(db, {
    key: prompt.key,
    from: { language: query.fromLanguage, versionId: query.from },
    to: { language: query.toLanguage ?? query.fromLanguage, versionId: query.to },
  });

  return Response.json(diff);
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["GET"]);

import { z } from "zod";
import { getDb } from "@/db";
import { methodsNotAllowed } from "@/lib/http/method-not-allowed";
import { apiRoute, parseSearchParams } from "@/lib/http/route";
import { parsePromptKey, requirePromptAccess } from "@/lib/prompt-admin/access";
import { exportFineTuningData, exportRequestSchema, validateFineTuningText } from "@/lib/prompt-admin/fine-tuning";
import { getPromptOrThrow } from "@/lib/prompt-admin/publishing";

export const dynamic = "force-dynamic";

const querySchema = exportRequestSchema.and(
  z.object({
    /** `jsonl` downloads the file; `json` returns it with counts and the validator's report. */
    format: z.enum(["jsonl", "json"]).default("json"),
  }),
);

/**
 * Export the prompt's recorded calls whose output validated, in a date range, as chat
 * fine-tuning JSONL. Editors and admins only, because the calls hold workspace data.
 */
export const GET = apiRoute<{ key: string }>(async ({ request, params }) => {
  await requirePromptAccess(request, "editPrompts");
  const db = await getDb();
  const prompt = await getPromptOrThrow(db, parsePromptKey(params.key));
  const query = parseSearchParams(request, querySchema);

  const exported = await exportFineTuningData(db, { prompt, request: query });

  if (query.format === "jsonl") {
    const filename = `${prompt.key}-${query.from}-${query.to}.jsonl`;
    return new Response(exported.jsonl, {
      headers: {
        "content-type": "application/jsonl; charset=utf-8",
        "content-disposition": `attachment; filename="${filename}"`,
      },
    });
  }
  return Response.json({ ...exported, validation: validateFineTuningText(prompt, exported.jsonl) });
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["GET"]);

import { z } from "zod";
import { getDb } from "@/db";
import { methodsNotAllowed } from "@/lib/http/method-not-allowed";
import { apiRoute, parseJsonBody } from "@/lib/http/route";
import { parsePromptKey, requirePromptAccess } from "@/lib/prompt-admin/access";
import { validateFineTuningText } from "@/lib/prompt-admin/fine-tuning";
import { getPromptOrThrow } from "@/lib/prompt-admin/publishing";

export const dynamic = "force-dynamic";

const bodySchema = z.object({
  jsonl: z.string().max(50 * 1024 * 1024, "the file is larger than 50 MB"),
  /** Overrides FINE_TUNING_MAX_EXAMPLE_TOKENS for this check, such as for an older base model. */
  maxExampleTokens: z.number().int().min(100).max(10_000_000).optional(),
});

/** Check a chat fine-tuning file against the prompt's schema and the token limits; errors name their line. */
export const POST = apiRoute<{ key: string }>(async ({ request, params }) => {
  await requirePromptAccess(request, "editPrompts");
  const prompt = await getPromptOrThrow(await getDb(), parsePromptKey(params.key));
  const body = await parseJsonBody(request, bodySchema);

  return Response.json(validateFineTuningText(prompt, body.jsonl, body.maxExampleTokens));
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["POST"]);

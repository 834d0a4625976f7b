import { z } from "zod";
import { getDb } from "@/db";
import { listPromptAuditLog } from "@/db/queries/prompt-tests";
import { methodsNotAllowed } from "@/lib/http/method-not-allowed";
import { apiRoute, parseSearchParams } from "@/lib/http/route";
import { requirePromptAccess } from "@/lib/prompt-admin/access";
import { promptKeySchema } from "@/lib/prompts/manifest";

export const dynamic = "force-dynamic";

const querySchema = z.object({
  promptKey: promptKeySchema.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  before: z.iso.datetime({ offset: true }).optional(),
});

/** List the prompts' audit log, newest first; admins only. */
export const GET = apiRoute(async ({ request }) => {
  await requirePromptAccess(request, "manageUsers");
  const query = parseSearchParams(request, querySchema);

  const entries = await listPromptAuditLog(await getDb(), {
    promptKey: query.promptKey,
    limit: query.limit,
    before: query.before ? new Date(query.before) : undefined,
  });

  return Response.json({ entries });
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["GET"]);

import { z } from "zod";
import { getDb } from "@/db";
import { getTestPolicy, upsertTestPolicy } from "@/db/queries/prompt-tests";
import { insertPromptAuditEntry } from "@/db/queries/prompts";
import { methodsNotAllowed } from "@/lib/http/method-not-allowed";
import { apiRoute, parseJsonBody } from "@/lib/http/route";
import { parsePromptKey, requirePromptAccess } from "@/lib/prompt-admin/access";
import { getPromptOrThrow } from "@/lib/prompt-admin/publishing";

export const dynamic = "force-dynamic";

const bodySchema = z.object({ requirePassingTests: z.boolean() });

/** Turn the prompt's publish gate on or off: with it on, only versions that passed every test case go live. */
export const PUT = apiRoute<{ key: string }>(async ({ request, params }) => {
  const actor = await requirePromptAccess(request, "editPrompts");
  const db = await getDb();
  const prompt = await getPromptOrThrow(db, parsePromptKey(params.key));
  const body = await parseJsonBody(request, bodySchema);

  const policy = await db.transaction(async (tx) => {
    const before = await getTestPolicy(tx, { promptKey: prompt.key });
    const row = await upsertTestPolicy(tx, { promptKey: prompt.key, ...body, updatedBy: actor.userId });
    await insertPromptAuditEntry(tx, {
      actorId: actor.userId,
      action: "prompt.update",
      key: prompt.key,
      before: { requirePassingTests: before?.requirePassingTests ?? false },
      after: body,
    });
    return row;
  });

  return Response.json({ gateOn: policy?.requirePassingTests ?? body.requirePassingTests });
});

export const { GET, POST, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["PUT"]);

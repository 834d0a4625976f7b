import { getDb } from "@/db";
import { listFineTuningJobs } from "@/db/queries/prompt-tests";
import { getGateway } from "@/lib/ai";
import { methodsNotAllowed } from "@/lib/http/method-not-allowed";
import { apiRoute, parseJsonBody } from "@/lib/http/route";
import { parsePromptKey, requirePromptAccess } from "@/lib/prompt-admin/access";
import { isFineTuningAvailable, startFineTuningJob, startJobRequestSchema } from "@/lib/prompt-admin/fine-tuning";
import { getPromptOrThrow } from "@/lib/prompt-admin/publishing";

export const dynamic = "force-dynamic";

/** List the prompt's fine-tuning jobs, newest first, and whether the configured provider can run one; admins only. */
export const GET = apiRoute<{ key: string }>(async ({ request, params }) => {
  await requirePromptAccess(request, "manageModels");
  const db = await getDb();
  const prompt = await getPromptOrThrow(db, parsePromptKey(params.key));

  const jobs = await listFineTuningJobs(db, { promptKey: prompt.key, limit: 50 });

  return Response.json({ available: isFineTuningAvailable(getGateway().getModelInfo()), jobs });
});

/** Validate a training file, upload it and start a fine-tuning job on the configured provider; admins only. */
export const POST = apiRoute<{ key: string }>(async ({ request, params }) => {
  const actor = await requirePromptAccess(request, "manageModels");
  const db = await getDb();
  const prompt = await getPromptOrThrow(db, parsePromptKey(params.key));
  const body = await parseJsonBody(request, startJobRequestSchema);

  const job = await startFineTuningJob(db, { actor, prompt, request: body, gateway: getGateway() });

  return Response.json({ job }, { status: 201 });
});

export const { PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["GET", "POST"]);

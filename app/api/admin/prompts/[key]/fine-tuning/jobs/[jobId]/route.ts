import { getDb } from "@/db";
import { getGateway } from "@/lib/ai";
import { methodsNotAllowed } from "@/lib/http/method-not-allowed";
import { apiRoute } from "@/lib/http/route";
import { parsePromptKey, requirePromptAccess } from "@/lib/prompt-admin/access";
import { refreshFineTuningJob } from "@/lib/prompt-admin/fine-tuning";

export const dynamic = "force-dynamic";

type Params = { key: string; jobId: string };

/** Return a fine-tuning job with its status fetched from the provider until it finishes; admins only. */
export const GET = apiRoute<Params>(async ({ request, params }) => {
  await requirePromptAccess(request, "manageModels");

  const job = await refreshFineTuningJob(await getDb(), {
    promptKey: parsePromptKey(params.key),
    jobId: params.jobId,
    gateway: getGateway(),
  });

  return Response.json({ job });
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["GET"]);

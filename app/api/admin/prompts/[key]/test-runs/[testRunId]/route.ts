import { getDb } from "@/db";
import { methodsNotAllowed } from "@/lib/http/method-not-allowed";
import { apiRoute } from "@/lib/http/route";
import { parsePromptKey, requirePromptAccess } from "@/lib/prompt-admin/access";
import { getTestMatrix, getTestRunOrThrow } from "@/lib/prompt-admin/test-matrix";

export const dynamic = "force-dynamic";

type Params = { key: string; testRunId: string };

/** Return a test run's case × language matrix, with each finished cell's result; poll it until `status` is final. */
export const GET = apiRoute<Params>(async ({ request, params }) => {
  await requirePromptAccess(request, "readPrompts");
  const db = await getDb();
  const testRun = await getTestRunOrThrow(db, { promptKey: parsePromptKey(params.key), testRunId: params.testRunId });

  return Response.json(await getTestMatrix(db, testRun));
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["GET"]);

import { getDb } from "@/db";
import { methodsNotAllowed } from "@/lib/http/method-not-allowed";
import { apiRoute, parseJsonBody } from "@/lib/http/route";
import { parsePromptKey, requirePromptAccess } from "@/lib/prompt-admin/access";
import { getPromptOrThrow } from "@/lib/prompt-admin/publishing";
import {
  changeTestCase,
  getActiveTestCaseOrThrow,
  removeTestCase,
  testCaseInputSchema,
} from "@/lib/prompt-admin/test-cases";

export const dynamic = "force-dynamic";

type Params = { key: string; caseId: string };

/** Replace a test case's name, language, variables and assertions. */
export const PUT = apiRoute<Params>(async ({ request, params }) => {
  const actor = await requirePromptAccess(request, "editPrompts");
  const db = await getDb();
  const prompt = await getPromptOrThrow(db, parsePromptKey(params.key));
  await getActiveTestCaseOrThrow(db, { promptKey: prompt.key, caseId: params.caseId });
  const body = await parseJsonBody(request, testCaseInputSchema);

  const testCase = await changeTestCase(db, { prompt, caseId: params.caseId, input: body, actorId: actor.userId });

  return Response.json({ case: testCase });
});

/** Remove a test case; its past results stay with the versions they ran on. */
export const DELETE = apiRoute<Params>(async ({ request, params }) => {
  const actor = await requirePromptAccess(request, "editPrompts");
  const db = await getDb();
  const prompt = await getPromptOrThrow(db, parsePromptKey(params.key));

  await removeTestCase(db, { promptKey: prompt.key, caseId: params.caseId, actorId: actor.userId });

  return new Response(null, { status: 204 });
});

export const { GET, POST, PATCH, OPTIONS } = methodsNotAllowed(["PUT", "DELETE"]);

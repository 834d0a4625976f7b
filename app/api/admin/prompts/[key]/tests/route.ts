import { getDb } from "@/db";
import { listTestCases } from "@/db/queries/prompt-tests";
import { methodsNotAllowed } from "@/lib/http/method-not-allowed";
import { apiRoute, parseJsonBody } from "@/lib/http/route";
import { parsePromptKey, requirePromptAccess } from "@/lib/prompt-admin/access";
import { getPromptOrThrow } from "@/lib/prompt-admin/publishing";
import { createTestCase, testCaseInputSchema } from "@/lib/prompt-admin/test-cases";

export const dynamic = "force-dynamic";

/** List the prompt's active test cases. */
export const GET = apiRoute<{ key: string }>(async ({ request, params }) => {
  await requirePromptAccess(request, "readPrompts");
  const db = await getDb();
  const prompt = await getPromptOrThrow(db, parsePromptKey(params.key));

  return Response.json({ cases: await listTestCases(db, { promptKey: prompt.key }) });
});

/** Add a test case: a name, a language, variables that replace the samples, and assertions. */
export const POST = apiRoute<{ key: string }>(async ({ request, params }) => {
  const actor = await requirePromptAccess(request, "editPrompts");
  const db = await getDb();
  const prompt = await getPromptOrThrow(db, parsePromptKey(params.key));
  const body = await parseJsonBody(request, testCaseInputSchema);

  const testCase = await createTestCase(db, { prompt, input: body, actorId: actor.userId });

  return Response.json({ case: testCase }, { status: 201 });
});

export const { PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["GET", "POST"]);

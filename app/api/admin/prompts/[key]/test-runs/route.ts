import { z } from "zod";
import { getDb } from "@/db";
import { listTestRuns } from "@/db/queries/prompt-tests";
import { getGateway } from "@/lib/ai";
import { methodsNotAllowed } from "@/lib/http/method-not-allowed";
import { apiRoute, parseJsonBody, parseSearchParams } from "@/lib/http/route";
import { getPipelineRuntime } from "@/lib/pipeline/app-runtime";
import { parsePromptKey, requirePromptAccess } from "@/lib/prompt-admin/access";
import { getPromptOrThrow } from "@/lib/prompt-admin/publishing";
import { startTestMatrix, targetRequestSchema } from "@/lib/prompt-admin/test-runs";

export const dynamic = "force-dynamic";

const listQuerySchema = z.object({
  mode: z.enum(["single", "matrix"]).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

/** List the prompt's test runs, newest first, each with the versions it ran on. */
export const GET = apiRoute<{ key: string }>(async ({ request, params }) => {
  await requirePromptAccess(request, "readPrompts");
  const db = await getDb();
  const prompt = await getPromptOrThrow(db, parsePromptKey(params.key));
  const query = parseSearchParams(request, listQuerySchema);

  return Response.json({ testRuns: await listTestRuns(db, { promptKey: prompt.key, ...query }) });
});

const startSchema = z.object({
  /** Targets of some languages; the others run on their latest version. */
  targets: z.array(targetRequestSchema).max(50).default([]),
});

/** "Run all": every test case in every language, as a durable job; 202 with the test run to follow. */
export const POST = apiRoute<{ key: string }>(async ({ request, params }) => {
  const actor = await requirePromptAccess(request, "editPrompts");
  const db = await getDb();
  const prompt = await getPromptOrThrow(db, parsePromptKey(params.key));
  const body = await parseJsonBody(request, startSchema);

  const testRun = await startTestMatrix(db, {
    actor,
    prompt,
    targets: body.targets,
    runtime: () => getPipelineRuntime(),
    gateway: getGateway(),
  });

  return Response.json(
    { testRun },
    { status: 202, headers: { location: `/api/admin/prompts/${prompt.key}/test-runs/${testRun.id}` } },
  );
});

export const { PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["GET", "POST"]);

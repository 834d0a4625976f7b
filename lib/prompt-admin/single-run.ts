import { z } from "zod";
import type { Db } from "@/db/client";
import { getTestCaseById, insertTestResult, insertTestRun } from "@/db/queries/prompt-tests";
import { getPromptVersionById } from "@/db/queries/prompts";
import type { Prompt, PromptTestTarget } from "@/db/schema";
import type { Gateway } from "@/lib/ai";
import type { Actor } from "@/lib/auth/actor";
import { badRequest, notFound } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { languageSchema } from "@/lib/prompts/manifest";
import { parameterSettingsSchema } from "@/lib/prompts/parameters";
import { resolvePreviewVariables } from "./preview";
import { describeSetupError, errorOutcome, executeTestCell, type TestStreamEvent } from "./test-execution";
import { renderTestPrompt } from "./test-task";

/** "Run" on one case: the model's answer streams as newline-delimited JSON events, then the verdict. */

export const singleRunRequestSchema = z.object({
  caseId: z.uuid(),
  language: languageSchema,
  /** A saved version, or null to run `content`, the editor's text (saved as a draft or not). */
  versionId: z.uuid().nullable(),
  content: z
    .object({
      systemText: z.string().max(100_000),
      userTemplate: z.string().max(100_000),
      parameters: parameterSettingsSchema,
    })
    .optional(),
});
export type SingleRunRequest = z.infer<typeof singleRunRequestSchema>;

const MAX_RETRIES = 3;

export async function startSingleTestRun(
  db: Db,
  params: { actor: Actor; prompt: Prompt; request: SingleRunRequest; gateway?: Gateway },
): Promise<ReadableStream<Uint8Array>> {
  const { prompt, request } = params;
  const testCase = await getTestCaseById(db, { id: request.caseId });
  if (!testCase || testCase.promptKey !== prompt.key || testCase.archivedAt) throw notFound("test_case");

  const target = await resolveSingleTarget(db, prompt, request);
  const drafts = request.versionId === null && request.content ? { [request.language]: request.content } : {};
  const testRun = await insertTestRun(db, {
    promptKey: prompt.key,
    mode: "single",
    targets: [target],
    createdBy: params.actor.userId,
  });
  const log = logger.child({ testRunId: testRun.id, promptKey: prompt.key, caseId: testCase.id });

  const encoder = new TextEncoder();
  let open = true;
  return new ReadableStream<Uint8Array>({
    start: async (controller) => {
      const send = (event: TestStreamEvent) => {
        if (open) controller.enqueue(encoder.encode(`${JSON.stringify(event)}\n`));
      };
      try {
        const variables = resolvePreviewVariables(prompt, testCase.variables);
        const outcome = await renderTestPrompt(db, { promptKey: prompt.key, drafts }, target, variables).then(
          (rendered) =>
            executeTestCell({
              prompt,
              testCase,
              rendered,
              maxRetries: MAX_RETRIES,
              gateway: params.gateway,
              onEvent: send,
            }),
          (error: unknown) => errorOutcome(testCase, "failed", describeSetupError(error)),
        );
        const result = await insertTestResult(db, {
          testRunId: testRun.id,
          caseId: testCase.id,
          language: target.language,
          versionId: target.versionId,
          draftRevision: null,
          batchId: null,
          ...outcome,
        });
        if (result) send({ type: "result", result });
        log.info({ verdict: outcome.verdict, outcome: outcome.outcome }, "test case run finished");
      } catch (error) {
        log.error({ err: error }, "test case run failed");
        send({ type: "error", message: "The test run failed on the server; the server log has details." });
      } finally {
        if (open) controller.close();
        open = false;
      }
    },
    cancel: () => {
      // The run goes on and its result is stored; only the live view stops.
      open = false;
    },
  });
}

async function resolveSingleTarget(db: Db, prompt: Prompt, request: SingleRunRequest): Promise<PromptTestTarget> {
  if (request.versionId === null) {
    if (!request.content)
      throw badRequest("Send the text to run as `content`, or name a saved version.", { field: "content" });
    return { language: request.language, versionId: null, versionNumber: null, draftRevision: null };
  }
  const version = await getPromptVersionById(db, { id: request.versionId });
  if (!version || version.promptKey !== prompt.key || version.language !== request.language) {
    throw notFound("prompt_version", `Version ${request.versionId} of ${prompt.key} (${request.language})`);
  }
  return {
    language: request.language,
    versionId: version.id,
    versionNumber: version.versionNumber,
    draftRevision: null,
  };
}

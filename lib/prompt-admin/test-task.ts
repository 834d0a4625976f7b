import { z } from "zod";
import type { Db } from "@/db/client";
import { getTestCaseById, getTestRunById, insertTestResult, listTestCases } from "@/db/queries/prompt-tests";
import { getPromptByKey, getPromptVersionById } from "@/db/queries/prompts";
import { listModelCalls } from "@/db/queries/runs";
import type { ModelCall, Prompt, PromptTestCase } from "@/db/schema";
import { AppError, notFound } from "@/lib/errors";
import type { RenderedPrompt } from "@/lib/pipeline/structured-call";
import type { TaskDefinition } from "@/lib/pipeline/task";
import { languageSchema, type PromptContent, promptKeySchema } from "@/lib/prompts/manifest";
import { parameterSettingsSchema, resolveParameters } from "@/lib/prompts/parameters";
import { renderPromptContent } from "@/lib/prompts/render";
import { TemplateError } from "@/lib/prompts/template";
import { type OutputSchemaName, outputSchemaNames } from "@/lib/tasks/schemas";
import { evaluateAssertions } from "./assertions";
import { resolvePreviewVariables } from "./preview";
import { PROMPT_TEST_KIND_PREFIX } from "./run-kinds";

/**
 * Pipeline tasks of "Run all": one batch per test case and language, rendered from the version
 * or draft under test and sent through the same structured call, retries and recording as
 * production. Kinds are per output schema (`prompt_test.<schema>`), because the schema name is
 * what the structured-output request carries.
 */

const draftContentSchema = z.object({
  systemText: z.string(),
  userTemplate: z.string(),
  parameters: parameterSettingsSchema,
});

export const promptTestInputSchema = z.object({
  testRunId: z.uuid(),
  promptKey: promptKeySchema,
  /** Content of the drafts under test, by language, as they were when the run started. */
  drafts: z.record(languageSchema, draftContentSchema).default({}),
});
export type PromptTestInput = z.infer<typeof promptTestInputSchema>;

export interface PromptTestBatch {
  caseId: string;
  language: string;
  /** Null when the draft is under test. */
  versionId: string | null;
  versionNumber: number | null;
  draftRevision: number | null;
}

export function promptTestKind(schemaName: OutputSchemaName): string {
  return `${PROMPT_TEST_KIND_PREFIX}${schemaName}`;
}

function createPromptTestTask(schemaName: OutputSchemaName): TaskDefinition<PromptTestInput, PromptTestBatch, unknown> {
  return {
    kind: promptTestKind(schemaName),
    // Only editors may test prompts, which that route checks.
    startRoute: "POST /api/admin/prompts/{key}/test-runs",
    // Never rendered from the published versions: `renderPrompt` below renders the target.
    promptKey: "prompt_test",
    outputSchemaName: schemaName,
    inputSchema: promptTestInputSchema,
    buildBatches: async (input, { db }) => planTestBatches(db, input),
    buildVariables: async (batch, { db }) => {
      const [prompt, testCase] = await Promise.all([loadPrompt(db, batch), loadCase(db, batch.caseId)]);
      return resolvePreviewVariables(prompt, testCase.variables);
    },
    renderPrompt: async ({ batchInput, variables, context }) =>
      renderTestPrompt(context.db, context.input, batchInput, variables),
    onBatchResult: async ({ tx, run, batch, input, batchInput, output }) => {
      const testCase = await loadCase(tx, batchInput.caseId);
      const calls = (await listModelCalls(tx, { runId: run.id })).filter(
        (call) => call.batchId === batch.id && call.execution === batch.executions,
      );
      const metrics = summarizeCalls(calls);
      const assertionResults = evaluateAssertions(testCase.assertions, {
        parsed: true,
        valid: true,
        output,
        latencyMs: metrics.latencyMs,
        costUsd: metrics.costUsd,
      });
      const last = calls.at(-1);
      await insertTestResult(
        tx,
        {
          testRunId: input.testRunId,
          caseId: batchInput.caseId,
          language: batchInput.language,
          versionId: batchInput.versionId,
          draftRevision: batchInput.draftRevision,
          batchId: batch.id,
          verdict: assertionResults.every((result) => result.passed) ? "passed" : "failed",
          outcome: batch.outcome,
          output,
          rawText: last?.rawText ?? null,
          repairedText: last?.repairedText ?? null,
          repairs: last?.repairs ?? [],
          validationErrors: last?.validationErrors ?? [],
          assertionResults,
          error: null,
          ...metrics,
        },
        { replace: true },
      );
    },
  };
}

export const promptTestTasks = outputSchemaNames.map((name) => createPromptTestTask(name));

async function planTestBatches(db: Db, input: PromptTestInput) {
  const testRun = await getTestRunById(db, { id: input.testRunId });
  if (!testRun) throw new Error(`Test run ${input.testRunId} not found.`);
  const cases = await listTestCases(db, { promptKey: input.promptKey });

  return cases.flatMap((testCase) =>
    testRun.targets.map((target) => ({
      label: `${testCase.name} · ${target.language}`,
      input: {
        caseId: testCase.id,
        language: target.language,
        versionId: target.versionId,
        versionNumber: target.versionNumber,
        draftRevision: target.draftRevision,
      } satisfies PromptTestBatch,
    })),
  );
}

async function loadPrompt(db: Db, batch: { caseId: string }): Promise<Prompt> {
  const testCase = await loadCase(db, batch.caseId);
  const prompt = await getPromptByKey(db, { key: testCase.promptKey });
  if (!prompt) throw notFound("prompt", `Prompt ${testCase.promptKey}`);
  return prompt;
}

async function loadCase(db: Db, caseId: string): Promise<PromptTestCase> {
  const testCase = await getTestCaseById(db, { id: caseId });
  if (!testCase) throw notFound("test_case", `Test case ${caseId}`);
  return testCase;
}

/** The texts and parameters under test in one language: a saved version, or the draft snapshot. */
export async function loadTargetContent(
  db: Db,
  input: Pick<PromptTestInput, "promptKey" | "drafts">,
  target: Pick<PromptTestBatch, "language" | "versionId">,
): Promise<PromptContent> {
  if (target.versionId === null) {
    const draft = input.drafts[target.language];
    if (!draft) throw new AppError(400, "bad_request", `No ${target.language} draft of ${input.promptKey} to test.`);
    return draft;
  }
  const version = await getPromptVersionById(db, { id: target.versionId });
  if (!version || version.promptKey !== input.promptKey || version.language !== target.language) {
    throw notFound("prompt_version", `Version ${target.versionId} of ${input.promptKey} (${target.language})`);
  }
  return version;
}

/** Render the target strictly, as production would: a missing variable fails the cell with its name. */
export async function renderTestPrompt(
  db: Db,
  input: Pick<PromptTestInput, "promptKey" | "drafts">,
  target: Pick<PromptTestBatch, "language" | "versionId" | "versionNumber">,
  variables: Record<string, unknown>,
): Promise<RenderedPrompt> {
  const prompt = await getPromptByKey(db, { key: input.promptKey });
  if (!prompt) throw notFound("prompt", `Prompt ${input.promptKey}`);
  const content = await loadTargetContent(db, input, target);

  let messages: ReturnType<typeof renderPromptContent>;
  try {
    messages = renderPromptContent(content, variables, "strict");
  } catch (error) {
    if (!(error instanceof TemplateError)) throw error;
    throw new AppError(400, "prompt_render_failed", `The ${target.language} text cannot be rendered: ${error.message}`);
  }
  const resolved = resolveParameters(content.parameters);
  return {
    promptKey: input.promptKey,
    language: target.language,
    version: {
      versionId: target.versionId,
      versionNumber: target.versionNumber,
      source: target.versionId ? "database" : "draft",
    },
    role: prompt.modelRole,
    messages: [...messages],
    parameters: {
      temperature: resolved.temperature,
      topP: resolved.topP,
      frequencyPenalty: resolved.frequencyPenalty,
      presencePenalty: resolved.presencePenalty,
      maxTokens: resolved.maxOutputTokens,
    },
  };
}

/** Totals of the requests a cell made: latency and cost add up, and time to first token is the last request's. */
export function summarizeCalls(calls: ModelCall[]) {
  const sum = (values: Array<number | null>) =>
    values.some((value) => value === null) ? null : values.reduce<number>((total, value) => total + (value ?? 0), 0);
  const last = calls.at(-1);
  return {
    attempts: calls.length,
    model: last?.model ?? null,
    latencyMs: calls.length > 0 ? sum(calls.map((call) => call.latencyMs)) : null,
    timeToFirstTokenMs: last?.timeToFirstTokenMs ?? null,
    inputTokens: calls.length > 0 ? sum(calls.map((call) => call.inputTokens)) : null,
    outputTokens: calls.length > 0 ? sum(calls.map((call) => call.outputTokens)) : null,
    costUsd: calls.length > 0 ? sum(calls.map((call) => call.costUsd)) : null,
  };
}

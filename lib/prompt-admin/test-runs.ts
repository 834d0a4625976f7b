import { z } from "zod";
import type { Db } from "@/db/client";
import {
  getTestRunById,
  insertTestResult,
  insertTestRun,
  listTestCases,
  listTestResults,
  setTestRunPipelineRun,
} from "@/db/queries/prompt-tests";
import { getPromptDraft, listPromptVersions } from "@/db/queries/prompts";
import { getRunById, listBatches, listModelCalls } from "@/db/queries/runs";
import { listWorkspacesForUser } from "@/db/queries/workspaces";
import type {
  ModelCall,
  Prompt,
  PromptTestCase,
  PromptTestResult,
  PromptTestRun,
  PromptTestTarget,
  Run,
  RunBatch,
} from "@/db/schema";
import type { Gateway } from "@/lib/ai";
import type { Actor } from "@/lib/auth/actor";
import { badRequest, notFound } from "@/lib/errors";
import { logger } from "@/lib/logger";
import type { PipelineRuntime } from "@/lib/pipeline/runtime";
import { startRun } from "@/lib/pipeline/service";
import { evaluateAssertions } from "./assertions";
import { resolvePreviewVariables } from "./preview";
import { describeSetupError, errorOutcome, executeTestCell, failureVerdict } from "./test-execution";
import { type PromptTestInput, promptTestKind, renderTestPrompt, summarizeCalls } from "./test-task";

/**
 * "Run all": every active test case in every language of a prompt, each language on one target
 * (a saved version, or the draft). Prompts with an output schema run as a durable pipeline run;
 * free-text prompts run their cells one by one in this process.
 */

export const targetRequestSchema = z.object({
  language: z.string().min(2).max(35),
  /** Null tests the language's saved draft. */
  versionId: z.uuid().nullable(),
});
export type TargetRequest = z.infer<typeof targetRequestSchema>;

/** Correction retries of a test cell, as production runs default to. */
const TEST_MAX_RETRIES = 3;

/** The target of every language of the prompt: the requested one, else its latest version. */
export async function resolveTargets(db: Db, prompt: Prompt, requested: TargetRequest[]): Promise<PromptTestTarget[]> {
  const versions = await listPromptVersions(db, { key: prompt.key });
  const languages = [
    ...new Set([...versions.map((version) => version.language), ...requested.map((entry) => entry.language)]),
  ].sort();

  const targets: PromptTestTarget[] = [];
  for (const language of languages) {
    const request = requested.find((entry) => entry.language === language);
    if (request && request.versionId === null) {
      const draft = await getPromptDraft(db, { key: prompt.key, language });
      if (!draft)
        throw badRequest(`Prompt ${prompt.key} has no ${language} draft to test; save a draft first.`, {
          field: "targets",
        });
      targets.push({ language, versionId: null, versionNumber: null, draftRevision: draft.revision });
      continue;
    }
    const version = request?.versionId
      ? versions.find((entry) => entry.id === request.versionId && entry.language === language)
      : versions.find((entry) => entry.language === language);
    if (!version)
      throw badRequest(`Version ${request?.versionId} is not a ${language} version of ${prompt.key}.`, {
        field: "targets",
      });
    targets.push({ language, versionId: version.id, versionNumber: version.versionNumber, draftRevision: null });
  }
  return targets;
}

async function snapshotDrafts(db: Db, prompt: Prompt, targets: PromptTestTarget[]): Promise<PromptTestInput["drafts"]> {
  const drafts: PromptTestInput["drafts"] = {};
  for (const target of targets) {
    if (target.versionId !== null) continue;
    const draft = await getPromptDraft(db, { key: prompt.key, language: target.language });
    if (draft)
      drafts[target.language] = {
        systemText: draft.systemText,
        userTemplate: draft.userTemplate,
        parameters: draft.parameters,
      };
  }
  return drafts;
}

export async function startTestMatrix(
  db: Db,
  params: {
    actor: Actor;
    prompt: Prompt;
    targets: TargetRequest[];
    runtime: () => Promise<PipelineRuntime>;
    gateway?: Gateway;
  },
): Promise<PromptTestRun> {
  const { actor, prompt } = params;
  const cases = await listTestCases(db, { promptKey: prompt.key });
  if (cases.length === 0)
    throw badRequest(`Prompt ${prompt.key} has no test cases; add one first.`, { field: "cases" });
  const targets = await resolveTargets(db, prompt, params.targets);
  const drafts = await snapshotDrafts(db, prompt, targets);

  if (!prompt.outputSchema) {
    const testRun = await insertTestRun(db, {
      promptKey: prompt.key,
      mode: "matrix",
      targets,
      createdBy: actor.userId,
    });
    void runFreeTextMatrix(db, { prompt, testRun, cases, drafts, gateway: params.gateway });
    return testRun;
  }

  // Pipeline runs belong to a workspace, so a test run goes to one the editor can open.
  const [workspace] = await listWorkspacesForUser(db, { userId: actor.userId, all: actor.role === "admin" });
  if (!workspace)
    throw badRequest("Test runs are recorded in a workspace; join a workspace first.", { field: "workspace" });

  const runtime = await params.runtime();
  const testRun = await insertTestRun(db, { promptKey: prompt.key, mode: "matrix", targets, createdBy: actor.userId });
  const input: PromptTestInput = { testRunId: testRun.id, promptKey: prompt.key, drafts };
  const run = await startRun(runtime, {
    actor,
    workspaceId: workspace.id,
    kind: promptTestKind(prompt.outputSchema),
    input,
    language: targets[0]?.language ?? "en",
    options: { maxRetries: TEST_MAX_RETRIES },
  });
  await setTestRunPipelineRun(db, { id: testRun.id, pipelineRunId: run.id });
  return { ...testRun, pipelineRunId: run.id };
}

/**
 * Run the cells of a free-text prompt one after another, storing each result as it ends.
 * NOTE: this runs in the web process, so cells not finished when the process stops stay pending.
 */
async function runFreeTextMatrix(
  db: Db,
  params: {
    prompt: Prompt;
    testRun: PromptTestRun;
    cases: PromptTestCase[];
    drafts: PromptTestInput["drafts"];
    gateway?: Gateway;
  },
): Promise<void> {
  const log = logger.child({ testRunId: params.testRun.id, promptKey: params.prompt.key });
  for (const testCase of params.cases) {
    for (const target of params.testRun.targets) {
      try {
        const outcome = await runCell(db, { ...params, testCase, target });
        await insertTestResult(db, {
          testRunId: params.testRun.id,
          caseId: testCase.id,
          ...targetIds(target),
          ...outcome,
        });
      } catch (error) {
        log.error({ err: error, caseId: testCase.id, language: target.language }, "test cell failed unexpectedly");
      }
    }
  }
  log.info("free-text test run finished");
}

async function runCell(
  db: Db,
  params: {
    prompt: Prompt;
    testCase: PromptTestCase;
    target: PromptTestTarget;
    drafts: PromptTestInput["drafts"];
    gateway?: Gateway;
  },
) {
  const variables = resolvePreviewVariables(params.prompt, params.testCase.variables);
  let rendered: Awaited<ReturnType<typeof renderTestPrompt>>;
  try {
    rendered = await renderTestPrompt(
      db,
      { promptKey: params.prompt.key, drafts: params.drafts },
      params.target,
      variables,
    );
  } catch (error) {
    return errorOutcome(params.testCase, "failed", describeSetupError(error));
  }
  return executeTestCell({
    prompt: params.prompt,
    testCase: params.testCase,
    rendered,
    maxRetries: TEST_MAX_RETRIES,
    gateway: params.gateway,
  });
}

function targetIds(target: PromptTestTarget) {
  return { language: target.language, versionId: target.versionId, draftRevision: target.draftRevision, batchId: null };
}

// ---------------------------------------------------------------------------------------------
// The matrix view
// ---------------------------------------------------------------------------------------------

export type CellState = "pending" | "running" | PromptTestResult["verdict"];

export interface MatrixCell {
  caseId: string;
  language: string;
  state: CellState;
  result: PromptTestResult | null;
}

export interface TestMatrix {
  testRun: PromptTestRun;
  /** Pipeline run status, or for an in-process run `running` until every cell has a result. */
  status: Run["status"];
  cases: Array<Pick<PromptTestCase, "id" | "name" | "language">>;
  cells: MatrixCell[];
  totals: { passed: number; failed: number; error: number; pending: number };
}

export async function getTestRunOrThrow(
  db: Db,
  params: { promptKey: string; testRunId: string },
): Promise<PromptTestRun> {
  const testRun = z.uuid().safeParse(params.testRunId).success
    ? await getTestRunById(db, { id: params.testRunId })
    : undefined;
  if (!testRun || testRun.promptKey !== params.promptKey) throw notFound("Test run");
  return testRun;
}

/** Build the case × language matrix of a test run, storing results for failed pipeline batches on the way. */
export async function getTestMatrix(db: Db, testRun: PromptTestRun): Promise<TestMatrix> {
  const pipelineRun = testRun.pipelineRunId ? await getRunById(db, { runId: testRun.pipelineRunId }) : undefined;
  const batches = pipelineRun ? await listBatches(db, { runId: pipelineRun.id }) : [];
  if (pipelineRun) await storeFailedCells(db, testRun, batches);

  const results = await listTestResults(db, { testRunId: testRun.id });
  const activeCases = await listTestCases(db, { promptKey: testRun.promptKey });
  const caseIds = new Set([
    ...results.map((result) => result.caseId),
    ...batches.map((batch) => (batch.input as { caseId: string }).caseId),
  ]);
  const cases = (
    testRun.mode === "single" || pipelineRun ? activeCases.filter((entry) => caseIds.has(entry.id)) : activeCases
  ).map(({ id, name, language }) => ({ id, name, language }));

  const cells: MatrixCell[] = [];
  for (const testCase of cases) {
    for (const target of testRun.targets) {
      const result =
        results.find((entry) => entry.caseId === testCase.id && entry.language === target.language) ?? null;
      if (testRun.mode === "single" && !result) continue;
      const batch = batches.find((entry) => {
        const input = entry.input as { caseId: string; language: string };
        return input.caseId === testCase.id && input.language === target.language;
      });
      let state: CellState = "pending";
      if (result) state = result.verdict;
      else if (batch?.status === "running") state = "running";
      cells.push({ caseId: testCase.id, language: target.language, state, result });
    }
  }

  const count = (state: CellState) => cells.filter((cell) => cell.state === state).length;
  const pending = cells.length - count("passed") - count("failed") - count("error");
  const status: Run["status"] = pipelineRun?.status ?? (pending > 0 ? "running" : "completed");
  return {
    testRun,
    status,
    cases,
    cells,
    totals: { passed: count("passed"), failed: count("failed"), error: count("error"), pending },
  };
}

/** A batch that ended without a valid answer has no result from the task; store one from its calls. */
async function storeFailedCells(db: Db, testRun: PromptTestRun, batches: RunBatch[]): Promise<void> {
  const failed = batches.filter((batch) => ["failed", "interrupted", "cancelled"].includes(batch.status));
  if (failed.length === 0 || !testRun.pipelineRunId) return;
  const stored = new Set(
    (await listTestResults(db, { testRunId: testRun.id })).map((result) => `${result.caseId}:${result.language}`),
  );
  const missing = failed.filter((batch) => {
    const input = batch.input as { caseId: string; language: string };
    return !stored.has(`${input.caseId}:${input.language}`);
  });
  if (missing.length === 0) return;

  const calls = await listModelCalls(db, { runId: testRun.pipelineRunId });
  const cases = await listTestCases(db, { promptKey: testRun.promptKey });
  for (const batch of missing) {
    const input = batch.input as {
      caseId: string;
      language: string;
      versionId: string | null;
      draftRevision: number | null;
    };
    const testCase = cases.find((entry) => entry.id === input.caseId);
    if (!testCase) continue;
    const batchCalls = calls.filter((call) => call.batchId === batch.id && call.execution === batch.executions);
    await insertTestResult(db, {
      testRunId: testRun.id,
      ...failedCellFields(testCase, batch, batchCalls),
      caseId: input.caseId,
      language: input.language,
      versionId: input.versionId,
      draftRevision: input.draftRevision,
      batchId: batch.id,
    });
  }
}

function failedCellFields(testCase: PromptTestCase, batch: RunBatch, calls: ModelCall[]) {
  const last = calls.at(-1);
  const metrics = summarizeCalls(calls);
  const parsed =
    Boolean(last?.rawText) &&
    last?.outcome === "invalid" &&
    !last.validationErrors.some((issue) => issue.path === "(response)");
  const assertionResults = evaluateAssertions(testCase.assertions, {
    parsed,
    valid: false,
    output: undefined,
    latencyMs: metrics.latencyMs,
    costUsd: metrics.costUsd,
  });
  return {
    verdict: failureVerdict(batch.outcome),
    outcome: batch.outcome,
    output: null,
    rawText: last?.rawText ?? null,
    repairedText: last?.repairedText ?? null,
    repairs: last?.repairs ?? [],
    validationErrors: last?.validationErrors ?? [],
    assertionResults,
    error: batch.error ?? { code: batch.status, message: `The batch ended ${batch.status}.`, retryable: true },
    ...metrics,
  };
}

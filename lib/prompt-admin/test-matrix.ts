import { z } from "zod";
import type { Db } from "@/db/client";
import { getTestRunById, insertTestResult, listTestCases, listTestResults } from "@/db/queries/prompt-tests";
import { getRunById, listBatches, listModelCalls } from "@/db/queries/runs";
import type { ModelCall, PromptTestCase, PromptTestResult, PromptTestRun, Run, RunBatch } from "@/db/schema";
import { notFound } from "@/lib/errors";
import { evaluateAssertions } from "./assertions";
import { failureVerdict } from "./test-execution";
import { summarizeCalls } from "./test-task";

/**
 * The case × language matrix of a test run, as "Run all" shows it and as two versions are
 * compared. A pipeline batch that failed has no result from the task, so one is stored here from
 * its calls the first time the matrix is read.
 */

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
  if (!testRun || testRun.promptKey !== params.promptKey) throw notFound("test_run");
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

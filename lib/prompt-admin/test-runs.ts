import { z } from "zod";
import type { Db } from "@/db/client";
import {
  deleteTestRun,
  insertTestResult,
  insertTestRun,
  listOpenTestRunCandidates,
  listTestCases,
  lockTestRunStart,
  type OpenTestRunCandidate,
  setTestRunPipelineRun,
} from "@/db/queries/prompt-tests";
import { getPromptDraft, listPromptVersions } from "@/db/queries/prompts";
import { listWorkspacesForUser } from "@/db/queries/workspaces";
import type { Prompt, PromptTestCase, PromptTestRun, PromptTestTarget } from "@/db/schema";
import type { Gateway } from "@/lib/ai";
import type { Actor } from "@/lib/auth/actor";
import { badRequest, conflict } from "@/lib/errors";
import { logger } from "@/lib/logger";
import type { PipelineRuntime } from "@/lib/pipeline/runtime";
import { startRun } from "@/lib/pipeline/service";
import { resolvePreviewVariables } from "./preview";
import { describeSetupError, errorOutcome, executeTestCell } from "./test-execution";
import { type PromptTestInput, promptTestKind, renderTestPrompt } from "./test-task";

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
  const repeated = [...new Set(requested.map((entry) => entry.language))].filter(
    (language) => requested.filter((entry) => entry.language === language).length > 1,
  );
  if (repeated.length > 0) {
    throw badRequest(
      `targets names ${repeated.join(", ")} more than once; a test run tests one target per language. Send one target for each, and start another run for another version.`,
      { field: "targets" },
    );
  }
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

/**
 * Start "Run all" on the resolved targets. While a test run of the prompt on the same targets is
 * still queued or running, no second one starts, and a 409 conflict names the unfinished test run.
 */
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
    const testRun = await insertTestRunOnce(db, { actor, prompt, targets, cellCount: cases.length * targets.length });
    void runFreeTextMatrix(db, { prompt, testRun, cases, drafts, gateway: params.gateway });
    return testRun;
  }

  // Pipeline runs belong to a workspace, so a test run goes to one the editor can open.
  const [workspace] = await listWorkspacesForUser(db, { userId: actor.userId, all: actor.role === "admin" });
  if (!workspace)
    throw badRequest("Test runs are recorded in a workspace; join a workspace first.", { field: "workspace" });

  const runtime = await params.runtime();
  const testRun = await insertTestRunOnce(db, { actor, prompt, targets, cellCount: cases.length * targets.length });
  const input: PromptTestInput = { testRunId: testRun.id, promptKey: prompt.key, drafts };
  let run: Awaited<ReturnType<typeof startRun>>;
  try {
    run = await startRun(runtime, {
      actor,
      workspaceId: workspace.id,
      kind: promptTestKind(prompt.outputSchema),
      input,
      language: targets[0]?.language ?? "en",
      options: { maxRetries: TEST_MAX_RETRIES },
    });
  } catch (error) {
    // A test run without a pipeline run counts as starting, so one that never got a run would
    // block the next start until it grows stale.
    await deleteTestRun(db, { id: testRun.id });
    throw error;
  }
  await setTestRunPipelineRun(db, { id: testRun.id, pipelineRunId: run.id });
  return { ...testRun, pipelineRunId: run.id };
}

/**
 * Age after which a test run without a pipeline run no longer counts as unfinished. Free-text test
 * runs execute in the web process, so a run cut off by a restart never gets its last results.
 * NOTE: a guessed bound; a free-text run that takes longer than this can be started twice.
 */
export const OPEN_TEST_RUN_MAX_AGE_MS = 30 * 60 * 1000;

/**
 * Insert a matrix test run unless one of the prompt on the same targets is still queued or
 * running. The check and the insert hold the prompt's start lock, so two concurrent starts (such
 * as a double-click) create one test run and a 409.
 */
async function insertTestRunOnce(
  db: Db,
  params: { actor: Actor; prompt: Prompt; targets: PromptTestTarget[]; cellCount: number },
): Promise<PromptTestRun> {
  const { prompt, targets } = params;
  return db.transaction(async (tx) => {
    await lockTestRunStart(tx, { promptKey: prompt.key });
    const candidates = await listOpenTestRunCandidates(tx, {
      promptKey: prompt.key,
      since: new Date(Date.now() - OPEN_TEST_RUN_MAX_AGE_MS),
    });
    const open = candidates.find(
      (candidate) =>
        sameTargets(candidate.testRun.targets, targets) && isUnfinished(candidate, prompt, params.cellCount),
    );
    if (open) {
      const status = open.pipelineStatus ?? "running";
      throw conflict(
        `A test run of prompt ${prompt.key} on the same versions is still ${status}; wait for it to finish, then start another.`,
        { reason: "prompt_test_run_active", params: { key: prompt.key, status }, testRunId: open.testRun.id },
      );
    }
    return insertTestRun(tx, { promptKey: prompt.key, mode: "matrix", targets, createdBy: params.actor.userId });
  });
}

function isUnfinished(candidate: OpenTestRunCandidate, prompt: Prompt, cellCount: number): boolean {
  if (candidate.pipelineStatus !== null)
    return candidate.pipelineStatus === "queued" || candidate.pipelineStatus === "running";
  // Without a pipeline run, a prompt with an output schema is between its insert and `startRun`.
  if (prompt.outputSchema) return true;
  return candidate.resultCount < cellCount;
}

function targetKey(target: PromptTestTarget): string {
  return `${target.language}:${target.versionId ?? `draft@${target.draftRevision}`}`;
}

function sameTargets(left: PromptTestTarget[], right: PromptTestTarget[]): boolean {
  const leftKeys = left.map(targetKey).sort();
  const rightKeys = right.map(targetKey).sort();
  return leftKeys.length === rightKeys.length && leftKeys.every((key, index) => key === rightKeys[index]);
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

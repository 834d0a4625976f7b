import { and, asc, desc, eq, gte, inArray, isNull, lt, or, sql } from "drizzle-orm";
import { type Db, executeRows } from "@/db/client";
import {
  type AuditLog,
  auditLog,
  type FineTuningJobRow,
  fineTuningJob,
  itemInput,
  type ModelCall,
  modelCall,
  type PromptTestCase,
  type PromptTestPolicy,
  type PromptTestResult,
  type PromptTestRun,
  type PromptTestTarget,
  promptDraft,
  promptTestCase,
  promptTestPolicy,
  promptTestResult,
  promptTestRun,
  promptVersion,
  type Run,
  run,
  user,
} from "@/db/schema";
import type { Assertion } from "@/lib/prompt-admin/assertions";

// ---------------------------------------------------------------------------------------------
// Test cases
// ---------------------------------------------------------------------------------------------

export async function listTestCases(db: Db, params: { promptKey: string }): Promise<PromptTestCase[]> {
  return db
    .select()
    .from(promptTestCase)
    .where(and(eq(promptTestCase.promptKey, params.promptKey), isNull(promptTestCase.archivedAt)))
    .orderBy(asc(promptTestCase.createdAt), asc(promptTestCase.name));
}

export async function getTestCaseById(db: Db, params: { id: string }): Promise<PromptTestCase | undefined> {
  const [row] = await db.select().from(promptTestCase).where(eq(promptTestCase.id, params.id));
  return row;
}

export interface TestCaseFields {
  name: string;
  language: string;
  variables: Record<string, unknown>;
  assertions: Assertion[];
}

export async function insertTestCase(
  db: Db,
  params: TestCaseFields & { promptKey: string; createdBy: string | null; seedKey?: string },
): Promise<PromptTestCase | undefined> {
  const [row] = await db
    .insert(promptTestCase)
    .values({ ...params, updatedBy: params.createdBy })
    .onConflictDoNothing({ target: [promptTestCase.promptKey, promptTestCase.seedKey] })
    .returning();
  return row;
}

export async function updateTestCase(
  db: Db,
  params: TestCaseFields & { id: string; updatedBy: string | null },
): Promise<PromptTestCase | undefined> {
  const { id, ...fields } = params;
  const [row] = await db
    .update(promptTestCase)
    .set({ ...fields, updatedAt: sql`now()` })
    .where(and(eq(promptTestCase.id, id), isNull(promptTestCase.archivedAt)))
    .returning();
  return row;
}

export async function archiveTestCase(
  db: Db,
  params: { id: string; updatedBy: string | null },
): Promise<PromptTestCase | undefined> {
  const [row] = await db
    .update(promptTestCase)
    .set({ archivedAt: sql`now()`, updatedBy: params.updatedBy, updatedAt: sql`now()` })
    .where(and(eq(promptTestCase.id, params.id), isNull(promptTestCase.archivedAt)))
    .returning();
  return row;
}

// ---------------------------------------------------------------------------------------------
// Publish gate
// ---------------------------------------------------------------------------------------------

export async function getTestPolicy(db: Db, params: { promptKey: string }): Promise<PromptTestPolicy | undefined> {
  const [row] = await db.select().from(promptTestPolicy).where(eq(promptTestPolicy.promptKey, params.promptKey));
  return row;
}

export async function listTestPolicies(db: Db): Promise<PromptTestPolicy[]> {
  return db.select().from(promptTestPolicy);
}

/** Set the gate; with `onlyIfAbsent`, an existing row (an editor's choice) is left as it is. */
export async function upsertTestPolicy(
  db: Db,
  params: { promptKey: string; requirePassingTests: boolean; updatedBy: string | null; onlyIfAbsent?: boolean },
): Promise<PromptTestPolicy | undefined> {
  const { onlyIfAbsent, ...values } = params;
  const insert = db.insert(promptTestPolicy).values(values);
  const [row] = onlyIfAbsent
    ? await insert.onConflictDoNothing().returning()
    : await insert
        .onConflictDoUpdate({
          target: promptTestPolicy.promptKey,
          set: { requirePassingTests: values.requirePassingTests, updatedBy: values.updatedBy, updatedAt: sql`now()` },
        })
        .returning();
  return row;
}

// ---------------------------------------------------------------------------------------------
// Test runs and results
// ---------------------------------------------------------------------------------------------

export async function insertTestRun(
  db: Db,
  params: { promptKey: string; mode: PromptTestRun["mode"]; targets: PromptTestTarget[]; createdBy: string | null },
): Promise<PromptTestRun> {
  const [row] = await db.insert(promptTestRun).values(params).returning();
  if (!row) throw new Error("insert into prompt_test_run returned no row");
  return row;
}

/** First key of the per-prompt advisory locks that order the starts of test runs. */
const TEST_RUN_START_LOCK_NAMESPACE = 7_269_041;

/**
 * Take the prompt's test-run start lock until the transaction ends, so that two starts of the same
 * prompt check for an unfinished test run one after the other.
 */
export async function lockTestRunStart(db: Db, params: { promptKey: string }): Promise<void> {
  await executeRows(
    db,
    sql`select pg_advisory_xact_lock(${TEST_RUN_START_LOCK_NAMESPACE}, hashtext(${params.promptKey}))`,
  );
}

/** A "Run all" test run that may still be unfinished, with the fields that decide whether it is. */
export interface OpenTestRunCandidate {
  testRun: PromptTestRun;
  /** Status of its pipeline run; null while the test run has none (free-text, or not started yet). */
  pipelineStatus: Run["status"] | null;
  resultCount: number;
}

/**
 * List the prompt's matrix test runs that may still be unfinished: those whose pipeline run is
 * queued or running, and those without a pipeline run created at or after `since`.
 */
export async function listOpenTestRunCandidates(
  db: Db,
  params: { promptKey: string; since: Date },
): Promise<OpenTestRunCandidate[]> {
  const rows = await db
    .select({
      testRun: promptTestRun,
      pipelineStatus: run.status,
      resultCount: sql<
        number | string
      >`(select count(*) from ${promptTestResult} where ${promptTestResult.testRunId} = ${promptTestRun.id})`,
    })
    .from(promptTestRun)
    .leftJoin(run, eq(run.id, promptTestRun.pipelineRunId))
    .where(
      and(
        eq(promptTestRun.promptKey, params.promptKey),
        eq(promptTestRun.mode, "matrix"),
        or(
          inArray(run.status, ["queued", "running"]),
          and(isNull(promptTestRun.pipelineRunId), gte(promptTestRun.createdAt, params.since)),
        ),
      ),
    )
    .orderBy(desc(promptTestRun.createdAt));
  return rows.map((row) => ({
    testRun: row.testRun,
    pipelineStatus: row.pipelineStatus,
    resultCount: Number(row.resultCount),
  }));
}

export async function deleteTestRun(db: Db, params: { id: string }): Promise<void> {
  await db.delete(promptTestRun).where(eq(promptTestRun.id, params.id));
}

export async function setTestRunPipelineRun(db: Db, params: { id: string; pipelineRunId: string }): Promise<void> {
  await db.update(promptTestRun).set({ pipelineRunId: params.pipelineRunId }).where(eq(promptTestRun.id, params.id));
}

export async function getTestRunById(db: Db, params: { id: string }): Promise<PromptTestRun | undefined> {
  const [row] = await db.select().from(promptTestRun).where(eq(promptTestRun.id, params.id));
  return row;
}

export async function getTestRunByPipelineRun(
  db: Db,
  params: { pipelineRunId: string },
): Promise<PromptTestRun | undefined> {
  const [row] = await db.select().from(promptTestRun).where(eq(promptTestRun.pipelineRunId, params.pipelineRunId));
  return row;
}

export async function listTestRuns(
  db: Db,
  params: { promptKey: string; mode?: PromptTestRun["mode"]; limit: number },
): Promise<PromptTestRun[]> {
  const conditions = [eq(promptTestRun.promptKey, params.promptKey)];
  if (params.mode) conditions.push(eq(promptTestRun.mode, params.mode));
  return db
    .select()
    .from(promptTestRun)
    .where(and(...conditions))
    .orderBy(desc(promptTestRun.createdAt))
    .limit(params.limit);
}

export type TestResultFields = Omit<PromptTestResult, "id" | "createdAt">;

/**
 * Store a cell's result. With `replace`, a result already stored for the cell is overwritten, as
 * for a retried batch that now succeeded. Without it, the stored one is kept and undefined returned.
 */
export async function insertTestResult(
  db: Db,
  params: TestResultFields,
  options: { replace?: boolean } = {},
): Promise<PromptTestResult | undefined> {
  const insert = db.insert(promptTestResult).values(params);
  const { testRunId: _run, caseId: _case, language: _language, ...changes } = params;
  const [row] = options.replace
    ? await insert
        .onConflictDoUpdate({
          target: [promptTestResult.testRunId, promptTestResult.caseId, promptTestResult.language],
          set: { ...changes, createdAt: sql`now()` },
        })
        .returning()
    : await insert.onConflictDoNothing().returning();
  return row;
}

export async function listTestResults(db: Db, params: { testRunId: string }): Promise<PromptTestResult[]> {
  return db
    .select()
    .from(promptTestResult)
    .where(eq(promptTestResult.testRunId, params.testRunId))
    .orderBy(asc(promptTestResult.createdAt));
}

/** The newest result of each case on one version, from any test run. */
export async function listLatestResultsForVersion(db: Db, params: { versionId: string }): Promise<PromptTestResult[]> {
  const rows = await db
    .selectDistinctOn([promptTestResult.caseId])
    .from(promptTestResult)
    .where(eq(promptTestResult.versionId, params.versionId))
    .orderBy(promptTestResult.caseId, desc(promptTestResult.createdAt));
  return rows;
}

export interface LanguageTestSummary {
  promptKey: string;
  language: string;
  testRunId: string;
  ranAt: Date;
  passed: number;
  total: number;
  versionNumber: number | null;
}

/** For each prompt and language, the results of the newest test run that covered the language. */
export async function listLatestTestSummaries(db: Db): Promise<LanguageTestSummary[]> {
  const rows = await executeRows<{
    prompt_key: string;
    language: string;
    test_run_id: string;
    ran_at: string | Date;
    passed: number | string;
    total: number | string;
    version_number: number | null;
  }>(
    db,
    sql`with latest as (
      select distinct on (r.prompt_key, res.language) r.prompt_key, res.language, r.id as test_run_id, r.created_at
      from ${promptTestResult} res
      join ${promptTestRun} r on r.id = res.test_run_id
      order by r.prompt_key, res.language, r.created_at desc
    )
    select l.prompt_key, l.language, l.test_run_id, l.created_at as ran_at,
      count(*) filter (where res.verdict = 'passed') as passed, count(*) as total,
      max(v.version_number) as version_number
    from latest l
    join ${promptTestResult} res on res.test_run_id = l.test_run_id and res.language = l.language
    left join ${promptVersion} v on v.id = res.version_id
    group by l.prompt_key, l.language, l.test_run_id, l.created_at`,
  );
  return rows.map((row) => ({
    promptKey: row.prompt_key,
    language: row.language,
    testRunId: row.test_run_id,
    ranAt: new Date(row.ran_at),
    passed: Number(row.passed),
    total: Number(row.total),
    versionNumber: row.version_number === null ? null : Number(row.version_number),
  }));
}

// ---------------------------------------------------------------------------------------------
// Admin views of prompt versions and drafts
// ---------------------------------------------------------------------------------------------

export interface LatestVersionSummary {
  promptKey: string;
  language: string;
  versionId: string;
  versionNumber: number;
  createdAt: Date;
  authorName: string | null;
}

/** The newest version of each prompt and language, with its author's name. */
export async function listLatestVersionSummaries(db: Db): Promise<LatestVersionSummary[]> {
  return db
    .selectDistinctOn([promptVersion.promptKey, promptVersion.language], {
      promptKey: promptVersion.promptKey,
      language: promptVersion.language,
      versionId: promptVersion.id,
      versionNumber: promptVersion.versionNumber,
      createdAt: promptVersion.createdAt,
      authorName: user.name,
    })
    .from(promptVersion)
    .leftJoin(user, eq(user.id, promptVersion.authorId))
    .orderBy(promptVersion.promptKey, promptVersion.language, desc(promptVersion.versionNumber));
}

export interface DraftSummary {
  promptKey: string;
  language: string;
  revision: number;
  updatedAt: Date;
  updatedByName: string | null;
}

export async function listDraftSummaries(db: Db): Promise<DraftSummary[]> {
  return db
    .select({
      promptKey: promptDraft.promptKey,
      language: promptDraft.language,
      revision: promptDraft.revision,
      updatedAt: promptDraft.updatedAt,
      updatedByName: user.name,
    })
    .from(promptDraft)
    .leftJoin(user, eq(user.id, promptDraft.updatedBy));
}

/** Names of users by id, for authors and editors shown in the admin. */
export async function getUserNames(db: Db, params: { ids: string[] }): Promise<Map<string, string>> {
  const ids = [...new Set(params.ids)];
  if (ids.length === 0) return new Map();
  const rows = await db.select({ id: user.id, name: user.name }).from(user).where(inArray(user.id, ids));
  return new Map(rows.map((row) => [row.id, row.name]));
}

/** Audit entries of every prompt, newest first, with the actor's name. */
export async function listPromptAuditLog(
  db: Db,
  params: { promptKey?: string; limit: number; before?: Date },
): Promise<Array<AuditLog & { actorName: string | null }>> {
  const conditions = [eq(auditLog.entityType, "prompt")];
  if (params.promptKey) {
    conditions.push(
      sql`(${auditLog.entityId} = ${params.promptKey} or starts_with(${auditLog.entityId}, ${`${params.promptKey}:`}))`,
    );
  }
  if (params.before) conditions.push(lt(auditLog.createdAt, params.before));
  const rows = await db
    .select({ entry: auditLog, actorName: user.name })
    .from(auditLog)
    .leftJoin(user, eq(user.id, auditLog.actorId))
    .where(and(...conditions))
    .orderBy(desc(auditLog.createdAt))
    .limit(params.limit);
  return rows.map((row) => ({ ...row.entry, actorName: row.actorName }));
}

/** Record a note on a publication or rollback, which the prompt store's own entry does not carry. */
export async function insertPublicationNote(
  db: Db,
  params: {
    actorId: string;
    key: string;
    language: string;
    action: "publish" | "rollback";
    versionId: string;
    note: string;
  },
): Promise<void> {
  await db.insert(auditLog).values({
    actorId: params.actorId,
    action: "prompt.publication.note",
    entityType: "prompt",
    entityId: `${params.key}:${params.language}`,
    before: null,
    after: { action: params.action, versionId: params.versionId, note: params.note },
  });
}

/** Publication notes of a prompt language, newest first. */
export async function listPublicationNotes(
  db: Db,
  params: { key: string; language: string },
): Promise<Array<{ versionId: string; action: string; note: string; createdAt: Date; actorName: string | null }>> {
  const rows = await db
    .select({ after: auditLog.after, createdAt: auditLog.createdAt, actorName: user.name })
    .from(auditLog)
    .leftJoin(user, eq(user.id, auditLog.actorId))
    .where(
      and(
        eq(auditLog.entityType, "prompt"),
        eq(auditLog.entityId, `${params.key}:${params.language}`),
        eq(auditLog.action, "prompt.publication.note"),
      ),
    )
    .orderBy(desc(auditLog.createdAt));
  return rows.map((row) => {
    const after = row.after as { versionId: string; action: string; note: string };
    return { ...after, createdAt: row.createdAt, actorName: row.actorName };
  });
}

// ---------------------------------------------------------------------------------------------
// Fine-tuning
// ---------------------------------------------------------------------------------------------

export type FineTuningCall = Pick<
  ModelCall,
  "id" | "runId" | "language" | "messages" | "rawText" | "repairedText" | "capped" | "startedAt" | "outcome"
>;

/**
 * Calls of a prompt whose output validated, oldest first, from production runs only (test runs
 * are excluded). With `acceptedOnly`, only calls of batches in which a PM accepted at least one
 * proposed input.
 */
export async function listFineTuningCalls(
  db: Db,
  params: { promptKey: string; from: Date; to: Date; acceptedOnly: boolean; limit: number },
): Promise<FineTuningCall[]> {
  const conditions = [
    eq(modelCall.promptKey, params.promptKey),
    inArray(modelCall.outcome, ["ok", "repaired"]),
    gte(modelCall.startedAt, params.from),
    lt(modelCall.startedAt, params.to),
    sql`not starts_with(${run.kind}, ${PROMPT_TEST_KIND_PREFIX})`,
  ];
  if (params.acceptedOnly) {
    conditions.push(
      sql`exists (select 1 from ${itemInput} where ${itemInput.runId} = ${modelCall.runId} and ${itemInput.batchId} = ${modelCall.batchId} and ${itemInput.status} = 'accepted')`,
    );
  }
  return db
    .select({
      id: modelCall.id,
      runId: modelCall.runId,
      language: modelCall.language,
      messages: modelCall.messages,
      rawText: modelCall.rawText,
      repairedText: modelCall.repairedText,
      capped: modelCall.capped,
      startedAt: modelCall.startedAt,
      outcome: modelCall.outcome,
    })
    .from(modelCall)
    .innerJoin(run, eq(run.id, modelCall.runId))
    .where(and(...conditions))
    .orderBy(asc(modelCall.startedAt))
    .limit(params.limit);
}

/** Kinds of the pipeline runs of prompt tests start with this, one kind per output schema. */
export const PROMPT_TEST_KIND_PREFIX = "prompt_test";

export async function insertFineTuningJob(
  db: Db,
  params: Omit<FineTuningJobRow, "id" | "createdAt" | "updatedAt">,
): Promise<FineTuningJobRow> {
  const [row] = await db.insert(fineTuningJob).values(params).returning();
  if (!row) throw new Error("insert into fine_tuning_job returned no row");
  return row;
}

export async function updateFineTuningJob(
  db: Db,
  params: { id: string; status: string; fineTunedModel: string | null; error: string | null },
): Promise<FineTuningJobRow | undefined> {
  const { id, ...fields } = params;
  const [row] = await db
    .update(fineTuningJob)
    .set({ ...fields, updatedAt: sql`now()` })
    .where(eq(fineTuningJob.id, id))
    .returning();
  return row;
}

export async function getFineTuningJobById(db: Db, params: { id: string }): Promise<FineTuningJobRow | undefined> {
  const [row] = await db.select().from(fineTuningJob).where(eq(fineTuningJob.id, params.id));
  return row;
}

export async function listFineTuningJobs(
  db: Db,
  params: { promptKey: string; limit: number },
): Promise<FineTuningJobRow[]> {
  return db
    .select()
    .from(fineTuningJob)
    .where(eq(fineTuningJob.promptKey, params.promptKey))
    .orderBy(desc(fineTuningJob.createdAt))
    .limit(params.limit);
}

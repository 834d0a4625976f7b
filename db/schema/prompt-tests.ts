import {
  boolean,
  doublePrecision,
  index,
  integer,
  json,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import type { Assertion, AssertionResult } from "@/lib/prompt-admin/assertions";
import { user } from "./auth";
import { prompt, promptVersion } from "./prompts";
import { type CallOutcome, type RunErrorInfo, run } from "./runs";

// ---------------------------------------------------------------------------------------------
// Prompt test cases, their results per version and language, and fine-tuning jobs. Prompts are
// global, so these tables are too; the pipeline run behind a test run belongs to a workspace.
// ---------------------------------------------------------------------------------------------

export const promptTestCase = pgTable(
  "prompt_test_case",
  {
    id: uuid().primaryKey().defaultRandom(),
    promptKey: text()
      .notNull()
      .references(() => prompt.key, { onDelete: "cascade" }),
    name: text().notNull(),
    /** Language the case is written for (its default when run alone); "Run all" runs it in every language. */
    language: text().notNull(),
    /**
     * Template values by variable name; a declared variable missing here takes its sample value.
     * `json`, not `jsonb`, so that object keys keep the order the editor wrote.
     */
    variables: json().$type<Record<string, unknown>>().notNull(),
    /** Checks on the output, in order (see lib/prompt-admin/assertions.ts). */
    assertions: jsonb().$type<Assertion[]>().notNull(),
    /** Stable name of a case that start-up seeding created; null for cases editors created. */
    seedKey: text(),
    createdBy: uuid().references(() => user.id, { onDelete: "set null" }),
    updatedBy: uuid().references(() => user.id, { onDelete: "set null" }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** Set instead of deleting, so that past results keep their case and a deleted seed stays deleted. */
    archivedAt: timestamp({ withTimezone: true }),
  },
  (table) => [
    index("prompt_test_case_prompt_idx").on(table.promptKey),
    uniqueIndex("prompt_test_case_seed_key").on(table.promptKey, table.seedKey),
  ],
);
export type PromptTestCase = typeof promptTestCase.$inferSelect;

/** Per-prompt publish rule; a prompt without a row has the gate off. */
export const promptTestPolicy = pgTable("prompt_test_policy", {
  promptKey: text()
    .primaryKey()
    .references(() => prompt.key, { onDelete: "cascade" }),
  /** When true, a version is published only after every active test case passed on it. */
  requirePassingTests: boolean().notNull().default(false),
  updatedBy: uuid().references(() => user.id, { onDelete: "set null" }),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});
export type PromptTestPolicy = typeof promptTestPolicy.$inferSelect;

/** Target of one language in a test run: a saved version, or the draft at a revision. */
export interface PromptTestTarget {
  language: string;
  /** Null when the target is the draft. */
  versionId: string | null;
  versionNumber: number | null;
  /** Draft revision when the target is the draft. */
  draftRevision: number | null;
}

export const promptTestRun = pgTable(
  "prompt_test_run",
  {
    id: uuid().primaryKey().defaultRandom(),
    promptKey: text()
      .notNull()
      .references(() => prompt.key, { onDelete: "cascade" }),
    /** single (one case, streamed in the request) | matrix ("Run all": every case in every language, a pipeline run). */
    mode: text().$type<"single" | "matrix">().notNull(),
    /** The pipeline run of a matrix; null for a single run. */
    pipelineRunId: uuid().references(() => run.id, { onDelete: "set null" }),
    targets: jsonb().$type<PromptTestTarget[]>().notNull(),
    createdBy: uuid().references(() => user.id, { onDelete: "set null" }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index("prompt_test_run_prompt_idx").on(table.promptKey, table.createdAt)],
);
export type PromptTestRun = typeof promptTestRun.$inferSelect;

export const testVerdicts = ["passed", "failed", "error"] as const;
export type TestVerdict = (typeof testVerdicts)[number];

/** One cell of a test run: a case in a language, on that language's target. */
export const promptTestResult = pgTable(
  "prompt_test_result",
  {
    id: uuid().primaryKey().defaultRandom(),
    testRunId: uuid()
      .notNull()
      .references(() => promptTestRun.id, { onDelete: "cascade" }),
    caseId: uuid()
      .notNull()
      .references(() => promptTestCase.id, { onDelete: "cascade" }),
    language: text().notNull(),
    /** Version tested; null when the draft was tested. */
    versionId: uuid().references(() => promptVersion.id, { onDelete: "cascade" }),
    draftRevision: integer(),
    /** Pipeline batch of a matrix cell; null for a single run. */
    batchId: uuid(),
    /** passed (every assertion held) | failed (an assertion failed or the output was invalid) | error (no usable answer: transport, refusal, deadline). */
    verdict: text().$type<TestVerdict>().notNull(),
    /** Pipeline outcome of the last request: ok | repaired | invalid | truncated | refused | content_filtered | rate_limited | failed. */
    outcome: text().$type<CallOutcome>(),
    /** Validated output; null when the output did not validate. */
    output: jsonb(),
    rawText: text(),
    repairedText: text(),
    /** Repair steps applied to the last response, such as `fence` or `trailing_commas`. */
    repairs: jsonb().$type<string[]>().notNull().default([]),
    /** Parse or schema problems of the last response, as `{ path, message }`. */
    validationErrors: jsonb().$type<Array<{ path: string; message: string }>>().notNull().default([]),
    assertionResults: jsonb().$type<AssertionResult[]>().notNull().default([]),
    error: jsonb().$type<RunErrorInfo>(),
    /** Model requests made, corrections included. */
    attempts: integer().notNull().default(0),
    model: text(),
    /** Time of all requests of the case together, in milliseconds. */
    latencyMs: integer(),
    /** Time to the first token of the last request, in milliseconds. */
    timeToFirstTokenMs: integer(),
    inputTokens: integer(),
    outputTokens: integer(),
    /** Estimated cost in US dollars; null when the model has no price. */
    costUsd: doublePrecision(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex("prompt_test_result_cell_key").on(table.testRunId, table.caseId, table.language),
    index("prompt_test_result_version_idx").on(table.versionId, table.caseId),
  ],
);
export type PromptTestResult = typeof promptTestResult.$inferSelect;

/** A fine-tuning job started from an exported file; the provider runs it and this row tracks its status. */
export const fineTuningJob = pgTable(
  "fine_tuning_job",
  {
    id: uuid().primaryKey().defaultRandom(),
    promptKey: text()
      .notNull()
      .references(() => prompt.key, { onDelete: "cascade" }),
    /** Model provider the job runs on: azure | openai | simulator. */
    provider: text().notNull(),
    /** Provider ids of the training file and the job. */
    fileId: text().notNull(),
    providerJobId: text().notNull(),
    baseModel: text().notNull(),
    /** Provider status: validating_files | queued | running | succeeded | failed | cancelled. */
    status: text().notNull(),
    fineTunedModel: text(),
    exampleCount: integer().notNull(),
    /** Tokens of the training file as the validator counted them. */
    fileTokens: integer().notNull(),
    /** Provider's error message when the job failed. */
    error: text(),
    createdBy: uuid().references(() => user.id, { onDelete: "set null" }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index("fine_tuning_job_prompt_idx").on(table.promptKey, table.createdAt)],
);
export type FineTuningJobRow = typeof fineTuningJob.$inferSelect;

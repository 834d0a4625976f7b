import { sql } from "drizzle-orm";
import {
  bigint,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { user, workspace } from "./auth";

// ---------------------------------------------------------------------------------------------
// Generation runs: a run splits its work into batches; each batch makes one or more model calls.
// Rows are written as the work happens, so a crash loses at most the model request in flight.
// ---------------------------------------------------------------------------------------------

export const runStatuses = ["queued", "running", "completed", "partial", "failed", "cancelled"] as const;
export type RunStatus = (typeof runStatuses)[number];
export const finishedRunStatuses: readonly RunStatus[] = ["completed", "partial", "failed", "cancelled"];

export const batchStatuses = ["pending", "running", "succeeded", "failed", "cancelled", "interrupted"] as const;
export type BatchStatus = (typeof batchStatuses)[number];

export const callOutcomes = [
  "ok",
  "repaired",
  "invalid",
  "truncated",
  "refused",
  "content_filtered",
  "rate_limited",
  "failed",
] as const;
export type CallOutcome = (typeof callOutcomes)[number];

/** Typed error of a failed batch or run, safe to show to its workspace members. */
export interface RunErrorInfo {
  /** Outcome or cause, for example `rate_limited`, `invalid`, `deadline_exceeded`, `interrupted`. */
  code: string;
  message: string;
  retryable: boolean;
  /** Model error kind from the gateway, when a model call failed. */
  modelErrorKind?: string;
}

export interface RunOptions {
  concurrency: number;
  batchDeadlineSeconds: number;
  maxRetries: number;
}

export const run = pgTable(
  "run",
  {
    id: uuid().primaryKey().defaultRandom(),
    workspaceId: uuid()
      .notNull()
      .references(() => workspace.id, { onDelete: "cascade" }),
    /** Task kind, for example `prioritization`; the pipeline's task registry defines them. */
    kind: text().notNull(),
    /** queued | running | completed | partial | failed | cancelled. */
    status: text().$type<RunStatus>().notNull().default("queued"),
    createdBy: uuid().references(() => user.id, { onDelete: "set null" }),
    /** Prompt language, such as `en` or `fr`. */
    language: text().notNull(),
    /** Task input as validated by the task's input schema. */
    input: jsonb().notNull(),
    options: jsonb().$type<RunOptions>().notNull(),
    batchCount: integer().notNull().default(0),
    /** Number of `succeeded` batches, updated in the transaction of each batch status change. */
    batchesSucceeded: integer().notNull().default(0),
    /**
     * Number of `failed`, `interrupted` and `cancelled` batches, which a retry queues again unless
     * the content filter stopped them. Updated likewise.
     */
    batchesFailed: integer().notNull().default(0),
    callCount: integer().notNull().default(0),
    inputTokens: integer().notNull().default(0),
    outputTokens: integer().notNull().default(0),
    /** Estimated cost in US dollars from the gateway's price table. */
    costUsd: doublePrecision().notNull().default(0),
    /** Run-level failure, such as a task that could not build its batches. */
    error: jsonb().$type<RunErrorInfo>(),
    /** Times a worker took the run; above 1 after a retry or a worker's death. */
    executions: integer().notNull().default(0),
    /** Worker id holding the run while it executes; the claim lapses at `leaseExpiresAt`. */
    leaseOwner: text(),
    leaseExpiresAt: timestamp({ withTimezone: true }),
    cancelRequestedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp({ withTimezone: true }),
    finishedAt: timestamp({ withTimezone: true }),
  },
  (table) => [
    index("run_workspace_created_idx").on(table.workspaceId, sql`${table.createdAt} desc`),
    index("run_created_idx").on(sql`${table.createdAt} desc`),
    index("run_status_idx").on(table.status),
  ],
);
export type Run = typeof run.$inferSelect;

export const runBatch = pgTable(
  "run_batch",
  {
    id: uuid().primaryKey().defaultRandom(),
    runId: uuid()
      .notNull()
      .references(() => run.id, { onDelete: "cascade" }),
    /** Order of the batch in its run, from 0. */
    position: integer().notNull(),
    /** Scope of the batch, for example a backlog theme. */
    label: text().notNull(),
    /** pending | running | succeeded | failed | cancelled | interrupted. */
    status: text().$type<BatchStatus>().notNull().default("pending"),
    /** Task data of this batch, passed to the task's `buildVariables`. */
    input: jsonb().notNull(),
    /** Times the batch was started; a worker's death or a retry starts it again. */
    executions: integer().notNull().default(0),
    /** Model requests of the latest execution, corrections and truncation retries included. */
    attempts: integer().notNull().default(0),
    /** Outcome of the latest execution: ok | repaired | invalid | truncated | refused | content_filtered | rate_limited | failed. */
    outcome: text().$type<CallOutcome>(),
    /** Validated output of the model when the batch succeeded. */
    result: jsonb(),
    error: jsonb().$type<RunErrorInfo>(),
    inputTokens: integer().notNull().default(0),
    outputTokens: integer().notNull().default(0),
    costUsd: doublePrecision().notNull().default(0),
    startedAt: timestamp({ withTimezone: true }),
    finishedAt: timestamp({ withTimezone: true }),
  },
  (table) => [uniqueIndex("run_batch_position_key").on(table.runId, table.position)],
);
export type RunBatch = typeof runBatch.$inferSelect;

/** Reference to the prompt version that rendered a call's messages. */
export interface PromptVersionRef {
  /** Null when prompts were served from files because the database was unreachable at start-up. */
  versionId: string | null;
  versionNumber: number | null;
  /** database | files. */
  source: string;
  /** Language requested when the version of another language was used. */
  fallbackFrom?: string;
}

/** A chat message as sent to the model; `content` may be capped (see `model_call.capped`). */
export interface RecordedMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

export const modelCall = pgTable(
  "model_call",
  {
    id: uuid().primaryKey().defaultRandom(),
    runId: uuid()
      .notNull()
      .references(() => run.id, { onDelete: "cascade" }),
    batchId: uuid()
      .notNull()
      .references(() => runBatch.id, { onDelete: "cascade" }),
    /** Batch execution this call belongs to, from 1. */
    execution: integer().notNull(),
    /** Request number within the execution, from 1. */
    attempt: integer().notNull(),
    /** initial | correction (after an invalid response) | more_tokens (after a truncated one). */
    purpose: text().$type<"initial" | "correction" | "more_tokens">().notNull(),
    promptKey: text().notNull(),
    language: text().notNull(),
    /** Published prompt version used; one version contains the system and user texts of a language. */
    promptVersion: jsonb().$type<PromptVersionRef>().notNull(),
    provider: text(),
    model: text(),
    /** Structured-output mode the gateway used: json_schema | json_object. */
    responseFormat: text(),
    messages: jsonb().$type<RecordedMessage[]>().notNull(),
    /** Sampling parameters sent: temperature, max tokens and so on. */
    parameters: jsonb().$type<Record<string, unknown>>().notNull(),
    /** ok | repaired | invalid | truncated | refused | content_filtered | rate_limited | failed. */
    outcome: text().$type<CallOutcome>().notNull(),
    /** Provider finish reason: stop | length | content_filter | tool_calls | error | other. */
    finishReason: text(),
    rawText: text(),
    /** JSON text after extraction and repair; null when unchanged or unparseable. */
    repairedText: text(),
    /** Repair steps applied, in order, such as `fence` or `trailing_commas`. */
    repairs: jsonb().$type<string[]>().notNull().default([]),
    /** Parse or validation problems, as `{ path, message }`. */
    validationErrors: jsonb().$type<Array<{ path: string; message: string }>>().notNull().default([]),
    error: jsonb().$type<RunErrorInfo>(),
    latencyMs: integer(),
    timeToFirstTokenMs: integer(),
    /** HTTP requests the gateway sent for this call, its retries included; null when unknown. */
    transportAttempts: integer(),
    /** The gateway's wait before each of those retries, in milliseconds. */
    retryWaitsMs: jsonb().$type<number[]>().notNull().default([]),
    inputTokens: integer(),
    outputTokens: integer(),
    costUsd: doublePrecision(),
    /** Cap applied to stored texts, in characters. */
    textCapChars: integer().notNull(),
    /** Original lengths of the texts that were cut to the cap, by field (`rawText`, `messages[1]`, ...). */
    capped: jsonb().$type<Record<string, number>>().notNull().default({}),
    startedAt: timestamp({ withTimezone: true }).notNull(),
    finishedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index("model_call_batch_idx").on(table.batchId, table.execution, table.attempt),
    index("model_call_run_idx").on(table.runId),
  ],
);
export type ModelCall = typeof modelCall.$inferSelect;

/**
 * Progress events of a run, in order. Event streams read them by id, so a client that reconnects
 * resumes where it left off, whichever instance serves it.
 */
export const runEvent = pgTable(
  "run_event",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    runId: uuid()
      .notNull()
      .references(() => run.id, { onDelete: "cascade" }),
    /** Event type, such as `batch_started` or `run_finished` (see lib/pipeline/events.ts). */
    type: text().notNull(),
    data: jsonb().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index("run_event_run_idx").on(table.runId, table.id)],
);
export type RunEvent = typeof runEvent.$inferSelect;

import type { z } from "zod";
import type { Db } from "@/db/client";
import type { Run, RunBatch } from "@/db/schema";
import type { Logger } from "@/lib/logger";
import { type OutputSchemaName, outputSchemas } from "@/lib/tasks/schemas";
import type { RenderedPrompt } from "./structured-call";

export interface TaskContext {
  db: Db;
  run: Run;
  log: Logger;
}

export interface PlannedBatch<BatchInput> {
  /** Scope of the batch shown on the run page, for example a backlog theme. */
  label: string;
  /** Stored with the batch and given back to `buildVariables`; must be JSON. */
  input: BatchInput;
}

/**
 * A kind of model work the pipeline can run. The pipeline renders `promptKey` with the variables
 * of each batch, calls the model, validates the output with the schema named `outputSchemaName`
 * and hands each valid result to `onBatchResult`.
 */
export interface TaskDefinition<Input = unknown, BatchInput = unknown, Output = unknown> {
  kind: string;
  promptKey: string;
  /** Sent as the JSON schema's name; names a schema in `lib/tasks/schemas.ts` unless `outputSchema` is set. */
  outputSchemaName: string;
  /** A schema outside the shared registry, for experiments and tests. */
  outputSchema?: z.ZodType<Output>;
  /** Validates the input a run is started with; a failure is a 400 naming the field. */
  inputSchema: z.ZodType<Input>;
  /**
   * Check a start against the workspace before the run exists, and throw a 4xx naming the field
   * when the run would be invalid or empty. Every way of starting a run calls it.
   */
  checkStart?(input: Input, context: { db: Db; workspaceId: string }): Promise<void>;
  /**
   * The route that starts runs of this kind, when `POST /api/v1/runs` must not start them because
   * that route checks more, such as the caller's role.
   */
  startRoute?: string;
  /** Split the run's input into batches; runs once, in the worker, before the first batch. */
  buildBatches(input: Input, context: TaskContext): Promise<PlannedBatch<BatchInput>[]>;
  /** Template variables of one batch; objects and arrays are rendered as JSON by the prompt engine. */
  buildVariables(batch: BatchInput, context: TaskContext & { input: Input }): Promise<Record<string, unknown>>;
  /**
   * Render the batch's prompt instead of taking the published version of `promptKey`, as prompt
   * test runs do to call the model with a draft or an unpublished version.
   */
  renderPrompt?(params: {
    batchInput: BatchInput;
    variables: Record<string, unknown>;
    context: TaskContext & { input: Input };
  }): Promise<RenderedPrompt>;
  /**
   * Store a batch's validated output in domain tables. Runs in the transaction that marks the batch
   * succeeded, so the result and the batch status are written together or not at all.
   */
  onBatchResult?(params: {
    tx: Db;
    run: Run;
    batch: RunBatch;
    input: Input;
    batchInput: BatchInput;
    /** The variables the batch's prompt was rendered with, so a task can check output against them. */
    variables: Record<string, unknown>;
    output: Output;
  }): Promise<void>;
}

/** A task whose types are erased, as the registry stores it. */
export type AnyTask = TaskDefinition<unknown, unknown, unknown>;

/** Declare a task; the output type follows from the schema named by `outputSchemaName`. */
export function defineTask<Input, BatchInput, Name extends OutputSchemaName>(
  task: TaskDefinition<Input, BatchInput, z.infer<(typeof outputSchemas)[Name]>> & { outputSchemaName: Name },
): TaskDefinition<Input, BatchInput, z.infer<(typeof outputSchemas)[Name]>> {
  return task;
}

export function getOutputSchema(task: AnyTask): z.ZodType {
  const schema = task.outputSchema ?? outputSchemas[task.outputSchemaName as OutputSchemaName];
  if (!schema) throw new Error(`Task ${task.kind} names the unknown output schema ${task.outputSchemaName}.`);
  return schema;
}

const globalForTasks = globalThis as unknown as { rankwiseTasks?: Map<string, AnyTask> };
const registry: Map<string, AnyTask> = globalForTasks.rankwiseTasks ?? new Map();
globalForTasks.rankwiseTasks = registry;

/** Make tasks available to runs in this process; registering a kind again replaces it. */
// biome-ignore lint/suspicious/noExplicitAny: task types are invariant in their input, so only `any` accepts every task.
export function registerTasks(...tasks: TaskDefinition<any, any, any>[]): void {
  for (const task of tasks) registry.set(task.kind, task as unknown as AnyTask);
}

export function findTask(kind: string): AnyTask | undefined {
  return registry.get(kind);
}

export function listTaskKinds(): string[] {
  return [...registry.keys()].sort();
}

import { finishBatch, startBatch } from "@/db/queries/runs";
import type { Run, RunBatch, RunErrorInfo } from "@/db/schema";
import { isAppError } from "@/lib/errors";
import type { Logger } from "@/lib/logger";
import type { PipelineDeps } from "./deps";
import { recordRunEvent } from "./events";
import { recordAttempt } from "./record-call";
import { CancelledError, DeadlineExceededError } from "./settle";
import { callStructured, type RenderedPrompt } from "./structured-call";
import { type AnyTask, getOutputSchema } from "./task";

/** The worker is stopping or lost its lease: the batch goes back to `pending` for the next execution. */
export class RunReleasedError extends Error {
  constructor(
    reason: string,
    /** Another worker owns the run now, so this one must not write its batches or status. */
    readonly leaseLost = false,
  ) {
    super(reason);
    this.name = "RunReleasedError";
  }
}

export interface BatchContext {
  deps: PipelineDeps;
  run: Run;
  task: AnyTask;
  log: Logger;
}

/**
 * Run one pending batch: mark it running, render its prompt, make the structured call (each request
 * recorded as it ends), then store the result or the typed error. A batch failure is stored, not
 * thrown; only a database error while storing it propagates.
 */
export async function executeBatch(context: BatchContext, batch: RunBatch, signal: AbortSignal): Promise<void> {
  const { deps, run } = context;
  const db = deps.handle.db;
  const started = await db.transaction(async (tx) => {
    const row = await startBatch(tx, { batchId: batch.id });
    if (row) {
      await recordRunEvent(tx, run.id, {
        type: "batch_started",
        batchId: row.id,
        position: row.position,
        execution: row.executions,
      });
    }
    return row;
  });
  if (!started) return;

  const log = context.log.child({ batchId: batch.id, position: batch.position });
  try {
    await callAndStore(context, started, signal, log);
  } catch (error) {
    const reason = signal.aborted ? signal.reason : error;
    await storeInterruption(context, started, reason, log);
  }
}

async function callAndStore(context: BatchContext, batch: RunBatch, signal: AbortSignal, log: Logger): Promise<void> {
  const { deps, run, task } = context;
  const taskContext = { db: deps.handle.db, run, log, input: run.input };
  const variables = await task.buildVariables(batch.input, taskContext);
  const prompt: RenderedPrompt = task.renderPrompt
    ? await task.renderPrompt({ batchInput: batch.input, variables, context: taskContext })
    : await deps.renderPrompt({
        promptKey: task.promptKey,
        language: run.language,
        variables,
        outputSchemaName: task.outputSchemaName,
      });

  const result = await callStructured({
    prompt,
    schema: getOutputSchema(task),
    schemaName: task.outputSchemaName,
    maxRetries: run.options.maxRetries,
    generate: deps.generate,
    signal,
    onAttempt: (record) =>
      recordAttempt(deps.handle.db, {
        runId: run.id,
        batchId: batch.id,
        execution: batch.executions,
        prompt,
        record,
        textCapChars: deps.settings.textCapChars,
      }),
  });
  if (signal.aborted) throw signal.reason;

  if (!result.ok) {
    log.warn({ outcome: result.outcome, code: result.error.code, attempts: result.attempts }, "batch failed");
    await storeFailure(context, batch, { outcome: result.outcome, error: result.error, status: "failed" });
    return;
  }

  await deps.handle.db.transaction(async (tx) => {
    const finished = await finishBatch(tx, {
      batchId: batch.id,
      status: "succeeded",
      outcome: result.outcome,
      result: result.data,
      error: null,
    });
    if (!finished) return;
    await task.onBatchResult?.({
      tx,
      run,
      batch: finished,
      input: run.input,
      batchInput: batch.input,
      variables,
      output: result.data,
    });
    await recordRunEvent(tx, run.id, {
      type: "batch_result",
      batchId: batch.id,
      position: batch.position,
      outcome: result.outcome,
      result: result.data,
    });
  });
  log.info({ outcome: result.outcome, attempts: result.attempts }, "batch succeeded");
}

async function storeFailure(
  context: BatchContext,
  batch: RunBatch,
  params: { outcome: RunBatch["outcome"]; error: RunErrorInfo; status: "failed" | "cancelled" | "pending" },
): Promise<void> {
  const { deps, run } = context;
  await deps.handle.db.transaction(async (tx) => {
    const finished = await finishBatch(tx, {
      batchId: batch.id,
      status: params.status,
      outcome: params.outcome,
      result: null,
      error: params.error,
    });
    if (!finished) return;
    if (params.status === "pending") {
      await recordRunEvent(tx, run.id, {
        type: "batch_requeued",
        batchId: batch.id,
        position: batch.position,
        reason: params.error.message,
      });
      return;
    }
    await recordRunEvent(tx, run.id, {
      type: "batch_failed",
      batchId: batch.id,
      position: batch.position,
      status: params.status,
      error: params.error,
    });
  });
}

/** Store why a batch stopped early: cancel, deadline, worker shutdown, or an unexpected error. */
async function storeInterruption(context: BatchContext, batch: RunBatch, reason: unknown, log: Logger): Promise<void> {
  if (reason instanceof RunReleasedError) {
    log.info({ reason: reason.message }, "batch released for another execution");
    if (reason.leaseLost) return;
    const error = { code: "released", message: reason.message, retryable: true };
    await storeFailure(context, batch, { outcome: null, error, status: "pending" }).catch(() => {});
    return;
  }
  if (reason instanceof CancelledError) {
    const error = { code: "cancelled", message: reason.message, retryable: true };
    await storeFailure(context, batch, { outcome: null, error, status: "cancelled" });
    return;
  }
  if (reason instanceof DeadlineExceededError) {
    log.warn({ deadlineMs: reason.deadlineMs }, "batch timed out");
    const error = { code: "deadline_exceeded", message: reason.message, retryable: true };
    await storeFailure(context, batch, { outcome: "failed", error, status: "failed" });
    return;
  }
  log.error({ err: reason }, "batch failed with an unexpected error");
  // Application errors carry messages written for users; anything else stays in the log.
  const message = isAppError(reason)
    ? reason.message
    : "An unexpected error stopped the batch; the server log has details.";
  await storeFailure(context, batch, {
    outcome: "failed",
    error: { code: "failed", message, retryable: true },
    status: "failed",
  });
}

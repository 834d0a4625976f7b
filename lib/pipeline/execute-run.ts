import type { Db } from "@/db/client";
import {
  claimRun,
  getRunById,
  insertBatches,
  listBatches,
  lockRunPlanning,
  moveBatches,
  releaseRunLease,
  renewRunLease,
  updateRunStatus,
} from "@/db/queries/runs";
import type { BatchStatus, Run, RunBatch, RunErrorInfo, RunStatus } from "@/db/schema";
import { type Logger, logger } from "@/lib/logger";
import type { PipelineDeps } from "./deps";
import { type RunSummary, recordRunEvent } from "./events";
import { type BatchContext, executeBatch, RunReleasedError } from "./execute-batch";
import { CancelledError, settleAll } from "./settle";
import { type AnyTask, findTask } from "./task";

/** End of an execution: the run finished, was skipped (taken or already finished), or was released. */
export type ExecutionResult = "finished" | "skipped" | "released";

const globalForRuns = globalThis as unknown as { rankwiseActiveRuns?: Map<string, AbortController> };
/** Runs executing in this process, so a cancel served by this process aborts them at once. */
export const activeRuns: Map<string, AbortController> = globalForRuns.rankwiseActiveRuns ?? new Map();
globalForRuns.rankwiseActiveRuns = activeRuns;

/**
 * Execute a run in this worker: claim its lease, build its batches on first execution, recover
 * batches a dead worker left running, run the pending ones in parallel, then set the final status.
 * `stopSignal` aborts when the worker shuts down; the run is then released for another worker.
 */
export async function executeRun(
  deps: PipelineDeps,
  runId: string,
  stopSignal?: AbortSignal,
): Promise<ExecutionResult> {
  const db = deps.handle.db;
  const log = deps.log.child({ runId });
  const run = await claimRun(db, { runId, workerId: deps.workerId, leaseSeconds: deps.settings.leaseSeconds });
  if (!run) {
    log.debug("run skipped: finished or held by another worker");
    return "skipped";
  }
  log.info({ kind: run.kind, execution: run.executions }, "run execution started");
  await db.transaction((tx) => recordRunEvent(tx, run.id, { type: "run_started", execution: run.executions }));

  const task = findTask(run.kind);
  if (!task) {
    const error = { code: "unknown_task", message: `No task of kind "${run.kind}" is registered.`, retryable: false };
    await finishRun(db, run.id, "failed", error);
    log.error({ kind: run.kind }, "run failed: unknown task kind");
    return "finished";
  }

  const controller = new AbortController();
  activeRuns.set(run.id, controller);
  const onStop = () => controller.abort(new RunReleasedError("the worker is shutting down"));
  stopSignal?.addEventListener("abort", onStop, { once: true });
  const heartbeat = startHeartbeat(deps, run.id, controller, log);
  try {
    return await executeClaimedRun({ deps, run, task, log }, controller.signal);
  } finally {
    clearInterval(heartbeat);
    stopSignal?.removeEventListener("abort", onStop);
    activeRuns.delete(run.id);
  }
}

async function executeClaimedRun(context: BatchContext, signal: AbortSignal): Promise<ExecutionResult> {
  const { deps, run, task, log } = context;
  const db = deps.handle.db;

  if (run.cancelRequestedAt) {
    await finishRun(db, run.id, "cancelled");
    return "finished";
  }
  const planned = await planBatches(db, run, task, log);
  if (!planned.ok) {
    await finishRun(db, run.id, "failed", planned.error);
    return "finished";
  }
  await recoverStaleBatches(deps, run.id);

  const pending = (await listBatches(db, { runId: run.id })).filter((batch) => batch.status === "pending");
  const inFlight = new Set<Promise<void>>();
  await settleAll(
    pending,
    { concurrency: run.options.concurrency, deadlineMs: run.options.batchDeadlineSeconds * 1000, signal },
    (batch, batchSignal) => {
      const promise = executeBatch(context, batch, batchSignal);
      inFlight.add(promise);
      return promise.finally(() => inFlight.delete(promise));
    },
  );
  // A batch that ignored its deadline is still writing; give it a moment, then stop waiting.
  await Promise.race([Promise.allSettled(inFlight), new Promise((resolve) => setTimeout(resolve, 5000).unref())]);

  const reason: unknown = signal.aborted ? signal.reason : undefined;
  if (reason instanceof RunReleasedError && reason.leaseLost) {
    log.warn("run execution stopped: another worker took over the run");
    return "skipped";
  }
  if (reason instanceof RunReleasedError) {
    await moveBatches(db, { runId: run.id, from: ["running"], to: "pending" });
    await releaseRunLease(db, { runId: run.id, workerId: deps.workerId });
    log.info({ reason: reason.message }, "run released");
    return "released";
  }
  await finishRun(db, run.id, reason instanceof CancelledError ? "cancelled" : undefined);
  return "finished";
}

async function planBatches(
  db: Db,
  run: Run,
  task: AnyTask,
  log: Logger,
): Promise<{ ok: true } | { ok: false; error: NonNullable<Run["error"]> }> {
  const existing = await listBatches(db, { runId: run.id });
  if (existing.length > 0) return { ok: true };

  try {
    // Runs of one workspace are planned one at a time, so that a plan can leave out the work of
    // the runs planned before it.
    const planned = await db.transaction(async (tx) => {
      await lockRunPlanning(tx, { workspaceId: run.workspaceId });
      const planned = await task.buildBatches(run.input, { db: tx, run, log });
      const batches = await insertBatches(tx, { runId: run.id, batches: planned });
      const summary = batches.map(({ id, position, label }) => ({ id, position, label }));
      await recordRunEvent(tx, run.id, { type: "batches_planned", batches: summary });
      return planned;
    });
    log.info({ batches: planned.length }, "run batches planned");
    return { ok: true };
  } catch (error) {
    log.error({ err: error }, "run failed: its batches could not be built");
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, error: { code: "planning_failed", message, retryable: false } };
  }
}

/**
 * Requeue the batches a dead worker left `running` when this worker claims the run. A batch already
 * started `maxBatchExecutions` times is marked `interrupted` instead, so that a batch that kills its
 * worker cannot loop forever.
 */
async function recoverStaleBatches(deps: PipelineDeps, runId: string): Promise<void> {
  const db = deps.handle.db;
  await db.transaction(async (tx) => {
    const requeued = await moveBatches(tx, {
      runId,
      from: ["running"],
      to: "pending",
      maxExecutions: deps.settings.maxBatchExecutions,
    });
    for (const batch of requeued) {
      const reason = "its worker stopped before the batch finished";
      await recordRunEvent(tx, runId, { type: "batch_requeued", batchId: batch.id, position: batch.position, reason });
    }
    const error = {
      code: "interrupted",
      message: `The batch was interrupted ${deps.settings.maxBatchExecutions} times by a worker that stopped.`,
      retryable: true,
    };
    await failBatches(tx, runId, { from: ["running"], to: "interrupted", error });
  });
}

/**
 * Set the final status from the batches (unless given) and record the summary event. With
 * `unclaimedOnly`, nothing changes unless the run is still queued without a worker.
 */
export async function finishRun(
  db: Db,
  runId: string,
  status?: RunStatus,
  error?: Run["error"],
  options: { unclaimedOnly?: boolean } = {},
): Promise<Run | undefined> {
  const finished = await db.transaction(async (tx) => {
    const batches = await listBatches(tx, { runId });
    const finalStatus = status ?? statusFromBatches(batches);
    // A status read from the batches also sets the error, so a failed run reports why and a
    // retried run that then succeeds drops its earlier error.
    let finalError = error;
    if (!status) finalError = finalStatus === "failed" ? summarizeBatchFailures(batches) : null;

    // A batch that ends meanwhile locks its own row before the run row. A claimed run's batches are
    // therefore cancelled before its status is set, in the same lock order, to avoid a deadlock.
    // An unclaimed run has no batch executing, and its batches change only if its status changes.
    const cancelling = status === "cancelled";
    if (cancelling && !options.unclaimedOnly) await cancelOpenBatches(tx, runId);
    let row = await updateRunStatus(tx, {
      runId,
      status: finalStatus,
      error: finalError,
      unclaimedOnly: options.unclaimedOnly,
    });
    if (!row) return undefined;
    if (cancelling && options.unclaimedOnly && (await cancelOpenBatches(tx, runId)) > 0) {
      row = (await getRunById(tx, { runId })) ?? row;
    }
    await recordRunEvent(tx, runId, { type: "run_finished", summary: summarizeRun(row) });
    return row;
  });
  if (finished) logger.info({ runId, status: finished.status }, "run finished");
  return finished;
}

/**
 * Cancel the run's pending and running batches and record a `batch_failed` event for each, so a
 * live view shows them cancelled as a reload does. Returns how many batches were cancelled.
 */
async function cancelOpenBatches(db: Db, runId: string): Promise<number> {
  const error = { code: "cancelled", message: "the run was cancelled", retryable: true };
  const cancelled = await failBatches(db, runId, { from: ["pending", "running"], to: "cancelled", error });
  return cancelled.length;
}

function statusFromBatches(batches: RunBatch[]): RunStatus {
  const succeeded = batches.filter((batch) => batch.status === "succeeded").length;
  if (succeeded === batches.length) return "completed";
  return succeeded > 0 ? "partial" : "failed";
}

/** Error of a run whose batches all failed: their common code, else `all_batches_failed`. */
function summarizeBatchFailures(batches: RunBatch[]): RunErrorInfo {
  const errors = batches.flatMap((batch) => (batch.error ? [batch.error] : []));
  const codes = new Set(errors.map((batchError) => batchError.code));
  const first = errors[0];
  const count = batches.length;
  return {
    code: codes.size === 1 && first ? first.code : "all_batches_failed",
    message: `All ${count} ${count === 1 ? "batch" : "batches"} failed${first ? `: ${first.message}` : "."}`,
    retryable: errors.length === 0 || errors.some((batchError) => batchError.retryable),
  };
}

export function summarizeRun(row: Run): RunSummary {
  const durationMs =
    row.startedAt && row.finishedAt ? new Date(row.finishedAt).getTime() - new Date(row.startedAt).getTime() : null;
  return {
    status: row.status,
    batchCount: row.batchCount,
    batchesSucceeded: row.batchesSucceeded,
    batchesFailed: row.batchesFailed,
    callCount: row.callCount,
    inputTokens: row.inputTokens,
    outputTokens: row.outputTokens,
    costUsd: row.costUsd,
    durationMs,
    error: row.error ?? null,
  };
}

/**
 * Renew the lease at a third of its length (2 s at most) and watch for a cancel request made on
 * another instance. Losing the lease releases the run, because another worker has taken it over.
 */
function startHeartbeat(deps: PipelineDeps, runId: string, controller: AbortController, log: Logger) {
  const intervalMs = Math.min((deps.settings.leaseSeconds * 1000) / 3, 2000);
  const timer = setInterval(async () => {
    try {
      const lease = await renewRunLease(deps.handle.db, {
        runId,
        workerId: deps.workerId,
        leaseSeconds: deps.settings.leaseSeconds,
      });
      if (!lease) controller.abort(new RunReleasedError("another worker took over the run", true));
      else if (lease.cancelRequestedAt) controller.abort(new CancelledError());
    } catch (error) {
      log.warn({ err: error }, "run lease renewal failed; retrying at the next heartbeat");
    }
  }, intervalMs);
  timer.unref();
  return timer;
}

/** Move batches to a failed status and record a `batch_failed` event for each; returns the moved batches. */
async function failBatches(
  db: Db,
  runId: string,
  params: { from: BatchStatus[]; to: BatchStatus; error: RunErrorInfo },
): Promise<RunBatch[]> {
  const moved = await moveBatches(db, { runId, ...params });
  for (const batch of moved) {
    await recordRunEvent(db, runId, {
      type: "batch_failed",
      batchId: batch.id,
      position: batch.position,
      status: params.to,
      error: params.error,
    });
  }
  return moved;
}

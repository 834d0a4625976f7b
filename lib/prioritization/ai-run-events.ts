import type { BatchStatus, RunErrorInfo, RunStatus } from "@/db/schema";

/**
 * Progress of a run as its pages show it, folded from the run's stored events. The same function
 * builds the first render on the server and applies each streamed event in the browser, so a page
 * that re-attaches to a run shows what a page that watched it from the start shows.
 * Events are as `lib/pipeline/events.ts` defines them; this module only reads their fields.
 */

export interface BatchActivity {
  id: string;
  position: number;
  label: string;
  status: BatchStatus;
  /** Model requests of the current execution, corrections and truncation retries included. */
  attempts: number;
  /** Requests that re-sent the prompt with the validation errors of the previous response. */
  corrections: number;
  /** Requests sent again with a larger token budget after a truncated response. */
  moreTokens: number;
  /** JSON repairs applied to responses (such as `fence`), each listed once. */
  repairs: string[];
  /** Responses that failed validation, and the errors of the latest one. */
  invalidAnswers: number;
  lastValidationErrors: Array<{ path: string; message: string }>;
  /** Times the batch went back to pending because its worker stopped. */
  requeues: number;
  executions: number;
  error: RunErrorInfo | null;
}

/** One retry of a finished run, from its `retry_requested` event. */
export interface RunRetry {
  /** The run's status when the retry was requested, such as `cancelled`. */
  previousStatus: RunStatus;
  /** Batches queued again, or 0 when the whole run started again because it had no batches. */
  batches: number;
}

export interface RunActivity {
  runId: string;
  status: RunStatus;
  cancelRequested: boolean;
  error: RunErrorInfo | null;
  batches: BatchActivity[];
  /** Retries in the order they were requested. Snapshots keep them because run rows do not store them. */
  retries: RunRetry[];
  /** Id of the last event folded in; a stream resumes after it. */
  lastEventId: number;
}

/** A run event as stored (`type` and `data`) or as streamed (SSE event name and JSON data). */
export interface RunEventMessage {
  id?: number;
  type: string;
  data: Record<string, unknown>;
}

/** The `state` snapshot's shape: the run row and its batch rows, as JSON. */
export interface RunSnapshot {
  run: { id: string; status: RunStatus; cancelRequestedAt?: string | Date | null; error?: RunErrorInfo | null };
  batches: Array<{
    id: string;
    position: number;
    label: string;
    status: BatchStatus;
    attempts?: number;
    executions?: number;
    error?: RunErrorInfo | null;
  }>;
}

export function createRunActivity(snapshot: RunSnapshot, lastEventId = 0): RunActivity {
  return applySnapshot(
    {
      runId: snapshot.run.id,
      status: snapshot.run.status,
      cancelRequested: false,
      error: null,
      batches: [],
      retries: [],
      lastEventId,
    },
    snapshot,
  );
}

function emptyBatch(id: string, position: number, label: string): BatchActivity {
  return {
    id,
    position,
    label,
    status: "pending",
    attempts: 0,
    corrections: 0,
    moreTokens: 0,
    repairs: [],
    invalidAnswers: 0,
    lastValidationErrors: [],
    requeues: 0,
    executions: 0,
    error: null,
  };
}

/** Take statuses from a snapshot and keep the activity counters the snapshot does not carry. */
function applySnapshot(activity: RunActivity, snapshot: RunSnapshot): RunActivity {
  const known = new Map(activity.batches.map((batch) => [batch.id, batch]));
  const batches = snapshot.batches.map((row) => ({
    ...(known.get(row.id) ?? emptyBatch(row.id, row.position, row.label)),
    status: row.status,
    attempts: row.attempts ?? known.get(row.id)?.attempts ?? 0,
    executions: row.executions ?? known.get(row.id)?.executions ?? 0,
    error: row.error ?? null,
  }));
  return {
    ...activity,
    status: snapshot.run.status,
    cancelRequested: Boolean(snapshot.run.cancelRequestedAt),
    error: snapshot.run.error ?? null,
    batches: batches.sort((a, b) => a.position - b.position),
  };
}

function updateBatch(activity: RunActivity, batchId: unknown, change: (batch: BatchActivity) => BatchActivity) {
  return {
    ...activity,
    batches: activity.batches.map((batch) => (batch.id === batchId ? change(batch) : batch)),
  };
}

/** Fold one event into the activity; events at or before `lastEventId` are ignored. */
export function applyRunEvent(activity: RunActivity, event: RunEventMessage): RunActivity {
  if (event.id !== undefined && event.id <= activity.lastEventId && event.type !== "state") return activity;
  const next = foldEvent(activity, event);
  return event.id !== undefined && event.id > next.lastEventId ? { ...next, lastEventId: event.id } : next;
}

function foldEvent(activity: RunActivity, { type, data }: RunEventMessage): RunActivity {
  switch (type) {
    case "state":
      return applySnapshot(activity, data as unknown as RunSnapshot);
    case "run_started":
      return { ...activity, status: "running" };
    case "batches_planned": {
      const planned = (data.batches as Array<{ id: string; position: number; label: string }>) ?? [];
      const known = new Set(activity.batches.map((batch) => batch.id));
      const added = planned.filter((batch) => !known.has(batch.id));
      const batches = [...activity.batches, ...added.map((b) => emptyBatch(b.id, b.position, b.label))];
      return { ...activity, batches: batches.sort((a, b) => a.position - b.position) };
    }
    case "batch_started":
      return updateBatch(activity, data.batchId, (batch) => ({
        ...batch,
        status: "running",
        attempts: 0,
        corrections: 0,
        moreTokens: 0,
        executions: Number(data.execution ?? batch.executions + 1),
        error: null,
      }));
    case "attempt":
      return updateBatch(activity, data.batchId, (batch) => ({
        ...batch,
        attempts: batch.attempts + 1,
        corrections: batch.corrections + (data.purpose === "correction" ? 1 : 0),
        moreTokens: batch.moreTokens + (data.purpose === "more_tokens" ? 1 : 0),
      }));
    case "repaired":
      return updateBatch(activity, data.batchId, (batch) => ({
        ...batch,
        repairs: [...new Set([...batch.repairs, ...((data.repairs as string[]) ?? [])])],
      }));
    case "validated":
      if (data.valid) return activity;
      return updateBatch(activity, data.batchId, (batch) => ({
        ...batch,
        invalidAnswers: batch.invalidAnswers + 1,
        lastValidationErrors: (data.errors as BatchActivity["lastValidationErrors"]) ?? [],
      }));
    case "batch_result":
      return updateBatch(activity, data.batchId, (batch) => ({ ...batch, status: "succeeded", error: null }));
    case "batch_failed":
      return updateBatch(activity, data.batchId, (batch) => ({
        ...batch,
        status: (data.status as BatchStatus) ?? "failed",
        error: (data.error as RunErrorInfo) ?? null,
      }));
    case "batch_requeued":
      return updateBatch(activity, data.batchId, (batch) => ({
        ...batch,
        status: "pending",
        requeues: batch.requeues + 1,
      }));
    case "cancel_requested":
      return { ...activity, cancelRequested: true };
    case "retry_requested": {
      const ids = new Set((data.batchIds as string[]) ?? []);
      const batches = activity.batches.map((batch) =>
        ids.has(batch.id) ? { ...batch, status: "pending" as const, error: null } : batch,
      );
      const retry: RunRetry = { previousStatus: activity.status, batches: ids.size };
      return {
        ...activity,
        status: "queued",
        cancelRequested: false,
        error: null,
        batches,
        retries: [...activity.retries, retry],
      };
    }
    case "run_finished": {
      const summary = (data.summary as { status?: RunStatus; error?: RunErrorInfo | null }) ?? {};
      return { ...activity, status: summary.status ?? activity.status, error: summary.error ?? null };
    }
    default:
      return activity;
  }
}

export const finishedStatuses: readonly RunStatus[] = ["completed", "partial", "failed", "cancelled"];

export function isRunFinished(activity: Pick<RunActivity, "status">): boolean {
  return finishedStatuses.includes(activity.status);
}

/**
 * Check whether the run was cancelled before its batches were planned, so it did no work. A retry
 * of such a run starts it again whole, with the same input and options.
 */
export function isCancelledBeforePlanning(run: { status: RunStatus; batches: readonly unknown[] }): boolean {
  return run.status === "cancelled" && run.batches.length === 0;
}

/** Share of a batch's work done, 0 to 100: pending 0, running by attempts, finished 100. */
export function batchProgress(batch: BatchActivity): number {
  if (batch.status === "pending") return 0;
  if (batch.status === "running") return Math.min(90, 30 + batch.attempts * 30);
  return 100;
}

export interface RunProgress {
  total: number;
  finished: number;
  succeeded: number;
  /** Failed and interrupted batches. */
  failed: number;
  cancelled: number;
  running: number;
}

export function summarizeProgress(activity: RunActivity): RunProgress {
  const count = (statuses: BatchStatus[]) => activity.batches.filter((b) => statuses.includes(b.status)).length;
  return {
    total: activity.batches.length,
    finished: count(["succeeded", "failed", "cancelled", "interrupted"]),
    succeeded: count(["succeeded"]),
    failed: count(["failed", "interrupted"]),
    cancelled: count(["cancelled"]),
    running: count(["running"]),
  };
}

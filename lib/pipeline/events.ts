import type { Db } from "@/db/client";
import { appendRunEvent } from "@/db/queries/runs";
import type { BatchStatus, CallOutcome, RunErrorInfo, RunStatus } from "@/db/schema";
import type { FieldIssue } from "@/lib/validation";

/**
 * Progress events of a run, stored in `run_event` in the transaction of the change they report.
 * Event streams send them in id order after a snapshot of the run (the `state` event).
 */
export type RunEventPayload =
  | { type: "run_started"; execution: number }
  | { type: "batches_planned"; batches: Array<{ id: string; position: number; label: string }> }
  | { type: "batch_started"; batchId: string; position: number; execution: number }
  | {
      type: "attempt";
      batchId: string;
      callId: string;
      attempt: number;
      purpose: string;
      outcome: CallOutcome;
      finishReason: string | null;
      latencyMs: number | null;
      /** HTTP requests of the call, the gateway's retries included. */
      transportAttempts: number | null;
      inputTokens: number | null;
      outputTokens: number | null;
    }
  | { type: "repaired"; batchId: string; callId: string; repairs: string[] }
  | { type: "validated"; batchId: string; callId: string; valid: boolean; errors: FieldIssue[] }
  /** A batch's validated output: a partial result of the run. */
  | { type: "batch_result"; batchId: string; position: number; outcome: CallOutcome; result: unknown }
  | { type: "batch_failed"; batchId: string; position: number; status: BatchStatus; error: RunErrorInfo }
  | { type: "batch_requeued"; batchId: string; position: number; reason: string }
  | { type: "cancel_requested" }
  | { type: "retry_requested"; batchIds: string[] }
  | { type: "run_finished"; summary: RunSummary };

export type RunEventType = RunEventPayload["type"];

export interface RunSummary {
  status: RunStatus;
  batchCount: number;
  batchesSucceeded: number;
  batchesFailed: number;
  callCount: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  durationMs: number | null;
  error: RunErrorInfo | null;
}

/** Store an event; call it inside the transaction of the change it reports. */
export async function recordRunEvent(db: Db, runId: string, event: RunEventPayload): Promise<void> {
  const { type, ...data } = event;
  await appendRunEvent(db, { runId, type, data });
}

import { describe, expect, it } from "vitest";
import {
  applyRunEvent,
  createRunActivity,
  isCancelledBeforePlanning,
  type RunEventMessage,
  summarizeProgress,
} from "./ai-run-events";

const snapshot = { run: { id: "run-1", status: "queued" as const }, batches: [] };

function fold(events: RunEventMessage[]) {
  return events.reduce(applyRunEvent, createRunActivity(snapshot));
}

const planned: RunEventMessage = {
  id: 1,
  type: "batches_planned",
  data: {
    batches: [
      { id: "b1", position: 0, label: "Export" },
      { id: "b2", position: 1, label: "Sharing" },
    ],
  },
};

describe("applyRunEvent", () => {
  it("tracks attempts, corrections and repairs", () => {
    const activity = fold([
      planned,
      { id: 2, type: "run_started", data: { execution: 1 } },
      { id: 3, type: "batch_started", data: { batchId: "b1", execution: 1 } },
      { id: 4, type: "attempt", data: { batchId: "b1", purpose: "initial" } },
      { id: 5, type: "repaired", data: { batchId: "b1", repairs: ["fence"] } },
      { id: 6, type: "validated", data: { batchId: "b1", valid: false, errors: [{ path: "items", message: "x" }] } },
      { id: 7, type: "attempt", data: { batchId: "b1", purpose: "correction" } },
      { id: 8, type: "batch_result", data: { batchId: "b1" } },
    ]);
    const batch = activity.batches[0];

    expect(activity.status).toBe("running");
    expect(batch).toMatchObject({ status: "succeeded", attempts: 2, corrections: 1, invalidAnswers: 1 });
    expect(batch?.repairs).toEqual(["fence"]);
    expect(activity.lastEventId).toBe(8);
  });

  it("ignores events it has already folded", () => {
    const once = fold([planned, { id: 2, type: "attempt", data: { batchId: "b1", purpose: "initial" } }]);
    const twice = applyRunEvent(once, { id: 2, type: "attempt", data: { batchId: "b1", purpose: "initial" } });
    expect(twice.batches[0]?.attempts).toBe(1);
  });

  it("shows a failed batch and its retry", () => {
    const error = { code: "rate_limited", message: "Too many requests.", retryable: true };
    const failed = fold([
      planned,
      { id: 2, type: "batch_failed", data: { batchId: "b2", status: "failed", error } },
      { id: 3, type: "run_finished", data: { summary: { status: "partial", error: null } } },
    ]);
    const retried = applyRunEvent(failed, { id: 4, type: "retry_requested", data: { batchIds: ["b2"] } });

    expect(failed.status).toBe("partial");
    expect(failed.batches[1]).toMatchObject({ status: "failed", error });
    expect(retried.status).toBe("queued");
    expect(retried.batches[1]).toMatchObject({ status: "pending", error: null });
  });

  it("restarts a run cancelled before planning", () => {
    const cancelled = fold([
      { id: 1, type: "cancel_requested", data: {} },
      { id: 2, type: "run_finished", data: { summary: { status: "cancelled", error: null } } },
    ]);
    const retried = applyRunEvent(cancelled, { id: 3, type: "retry_requested", data: { batchIds: [] } });
    const replanned = applyRunEvent(retried, { ...planned, id: 4 });

    expect(isCancelledBeforePlanning(cancelled)).toBe(true);
    expect(retried).toMatchObject({ status: "queued", cancelRequested: false });
    expect(isCancelledBeforePlanning(retried)).toBe(false);
    expect(replanned.batches.map((batch) => batch.label)).toEqual(["Export", "Sharing"]);
  });

  it("excludes a run cancelled after planning", () => {
    const cancelled = fold([
      planned,
      { id: 2, type: "run_finished", data: { summary: { status: "cancelled", error: null } } },
    ]);

    expect(isCancelledBeforePlanning(cancelled)).toBe(false);
  });

  it("cancels running and pending batches", () => {
    const error = { code: "cancelled", message: "the run was cancelled", retryable: true };
    const cancelled = fold([
      planned,
      { id: 2, type: "batch_started", data: { batchId: "b1", execution: 1 } },
      { id: 3, type: "cancel_requested", data: {} },
      { id: 4, type: "batch_failed", data: { batchId: "b1", status: "cancelled", error } },
      { id: 5, type: "batch_failed", data: { batchId: "b2", status: "cancelled", error } },
      { id: 6, type: "run_finished", data: { summary: { status: "cancelled", error: null } } },
    ]);

    expect(cancelled.batches.map((batch) => batch.status)).toEqual(["cancelled", "cancelled"]);
    expect(cancelled.batches[1]?.error).toEqual(error);
    expect(summarizeProgress(cancelled)).toEqual({
      total: 2,
      finished: 2,
      succeeded: 0,
      failed: 0,
      cancelled: 2,
      running: 0,
    });
  });

  it("records a retry of a cancelled run", () => {
    const error = { code: "cancelled", message: "the run was cancelled", retryable: true };
    const retried = fold([
      planned,
      { id: 2, type: "batch_failed", data: { batchId: "b2", status: "cancelled", error } },
      { id: 3, type: "run_finished", data: { summary: { status: "cancelled", error: null } } },
      { id: 4, type: "retry_requested", data: { batchIds: ["b2"] } },
      { id: 5, type: "batch_result", data: { batchId: "b2" } },
      { id: 6, type: "run_finished", data: { summary: { status: "completed", error: null } } },
    ]);

    expect(retried.status).toBe("completed");
    expect(retried.retries).toEqual([{ previousStatus: "cancelled", batches: 1 }]);
  });

  it("keeps retries over a state snapshot", () => {
    const retried = fold([
      planned,
      { id: 2, type: "run_finished", data: { summary: { status: "cancelled", error: null } } },
      { id: 3, type: "retry_requested", data: { batchIds: ["b1", "b2"] } },
    ]);
    const refreshed = applyRunEvent(retried, {
      type: "state",
      data: { run: { id: "run-1", status: "completed" }, batches: [] },
    });

    expect(refreshed.retries).toEqual([{ previousStatus: "cancelled", batches: 2 }]);
  });

  it("takes statuses from a state snapshot", () => {
    const activity = applyRunEvent(fold([planned]), {
      id: 9,
      type: "state",
      data: {
        run: { id: "run-1", status: "running" },
        batches: [
          { id: "b1", position: 0, label: "Export", status: "succeeded" },
          { id: "b2", position: 1, label: "Sharing", status: "running" },
        ],
      },
    });
    expect(summarizeProgress(activity)).toEqual({
      total: 2,
      finished: 1,
      succeeded: 1,
      failed: 0,
      cancelled: 0,
      running: 1,
    });
  });
});

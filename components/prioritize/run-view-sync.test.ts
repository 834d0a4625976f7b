import { describe, expect, it } from "vitest";
import type { RunStatus } from "@/db/schema";
import { createResponseOrder, isRefetchEvent, withLiveRunStatus } from "./run-view-sync";

describe("isRefetchEvent", () => {
  it.each(["batch_result", "batch_failed", "run_finished", "retry_requested"])("refetches after %s", (type) => {
    expect(isRefetchEvent({ type })).toBe(true);
  });

  it.each(["state", "attempt", "batch_started", "validated"])("ignores %s", (type) => {
    expect(isRefetchEvent({ type })).toBe(false);
  });
});

describe("createResponseOrder", () => {
  it("applies responses in request order", () => {
    const order = createResponseOrder();
    const first = order.next();
    const second = order.next();
    expect(order.accept(first)).toBe(true);
    expect(order.accept(second)).toBe(true);
  });

  it("drops an older response after a newer one", () => {
    const order = createResponseOrder();
    const first = order.next();
    const second = order.next();
    expect(order.accept(second)).toBe(true);
    expect(order.accept(first)).toBe(false);
  });

  it("applies the last request while an older one is pending", () => {
    // A batch result starts a fetch, and the run's last event starts another before it returns.
    const order = createResponseOrder();
    const afterBatch = order.next();
    const afterFinish = order.next();
    expect(order.accept(afterFinish)).toBe(true);
    expect(order.accept(afterBatch)).toBe(false);
    const afterReview = order.next();
    expect(order.accept(afterReview)).toBe(true);
  });

  it("drops pending responses after discardPending", () => {
    const order = createResponseOrder();
    const previousRun = order.next();
    order.discardPending();
    expect(order.accept(previousRun)).toBe(false);
    expect(order.accept(order.next())).toBe(true);
  });
});

describe("withLiveRunStatus", () => {
  const runs: Array<{ id: string; status: RunStatus }> = [
    { id: "run-new", status: "running" },
    { id: "run-old", status: "completed" },
  ];

  it("shows the live status of the followed run", () => {
    const listed = withLiveRunStatus(runs, { runId: "run-new", status: "completed" });
    expect(listed.map((run) => run.status)).toEqual(["completed", "completed"]);
  });

  it("keeps the other runs unchanged", () => {
    const listed = withLiveRunStatus(runs, { runId: "run-new", status: "partial" });
    expect(listed[1]).toBe(runs[1]);
  });

  it("keeps the list without activity", () => {
    expect(withLiveRunStatus(runs, null)).toEqual(runs);
  });

  it("ignores a run missing from the list", () => {
    expect(withLiveRunStatus(runs, { runId: "run-other", status: "failed" })).toEqual(runs);
  });

  it("leaves the input list unchanged", () => {
    withLiveRunStatus(runs, { runId: "run-new", status: "completed" });
    expect(runs[0]?.status).toBe("running");
  });
});

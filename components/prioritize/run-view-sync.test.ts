import { describe, expect, it } from "vitest";
import type { RunStatus } from "@/db/schema";
import { createResponseOrder, describeReviewState, isRefetchEvent, withLiveRunStatus } from "./run-view-sync";

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

describe("describeReviewState", () => {
  const proposal = {
    id: "p1",
    batchId: "b1",
    itemId: "i1",
    itemRef: "A03",
    itemNumber: 3,
    itemTitle: "PDF export",
    itemRank: null,
    input: "reach" as const,
    value: 500,
    rationale: null,
    evidenceIds: [],
    status: "proposed" as const,
    overridden: false,
    current: null,
  };
  const viewOf = (proposals: (typeof proposal | Record<string, unknown>)[]) =>
    ({ batches: [{ proposals }] }) as unknown as Parameters<typeof describeReviewState>[0];

  it("changes when a proposal is accepted", () => {
    const before = describeReviewState(viewOf([proposal]));
    const after = describeReviewState(
      viewOf([{ ...proposal, status: "accepted", current: { value: 500, source: "ai" } }]),
    );

    expect(after).not.toBe(before);
  });

  it("changes when a proposal is rejected", () => {
    const after = describeReviewState(viewOf([{ ...proposal, status: "rejected" }]));

    expect(after).not.toBe(describeReviewState(viewOf([proposal])));
  });

  it("changes when a PM value replaces another", () => {
    const settled = { ...proposal, status: "rejected", overridden: true };
    const first = describeReviewState(viewOf([{ ...settled, current: { value: 80, source: "pm" } }]));
    const second = describeReviewState(viewOf([{ ...settled, current: { value: 90, source: "pm" } }]));

    expect(second).not.toBe(first);
  });

  it("stays the same for the same state", () => {
    expect(describeReviewState(viewOf([proposal]))).toBe(describeReviewState(viewOf([{ ...proposal }])));
  });

  it("is empty without a view", () => {
    expect(describeReviewState(null)).toBe("");
  });
});

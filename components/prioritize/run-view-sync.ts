import type { RunStatus } from "@/db/schema";
import type { RunActivity, RunEventMessage } from "@/lib/prioritization/ai-run-events";
import type { PrioritizationRunView } from "@/lib/prioritization/ai-runs";

/** Events after which the run's stored proposals or statuses may have changed. */
const refetchEventTypes: ReadonlySet<string> = new Set([
  "batch_result",
  "batch_failed",
  "run_finished",
  "retry_requested",
]);

/** Check whether the page must fetch the run view again after this streamed event. */
export function isRefetchEvent(event: Pick<RunEventMessage, "type">): boolean {
  return refetchEventTypes.has(event.type);
}

/**
 * Ordering of overlapping fetches of one view. A response is applied unless the response of a
 * fetch started later was applied first, so an older response never replaces a newer one.
 * Fetches are not queued, so the fetch that follows a run's last event always runs.
 */
export interface ResponseOrder {
  /** Ticket of a fetch that starts now. */
  next(): number;
  /** Check whether the response of the fetch with this ticket may be applied, and record it if so. */
  accept(ticket: number): boolean;
  /** Reject the responses of every fetch started so far, such as when the page shows another run. */
  discardPending(): void;
}

export function createResponseOrder(): ResponseOrder {
  let issued = 0;
  let applied = 0;
  return {
    next() {
      issued += 1;
      return issued;
    },
    accept(ticket) {
      if (ticket <= applied) return false;
      applied = ticket;
      return true;
    },
    discardPending() {
      applied = issued;
    },
  };
}

/**
 * Replace the listed status of the run that the page follows with the status of its live
 * activity, because the list is rendered on the server once and does not change as the run does.
 */
export function withLiveRunStatus<T extends { id: string; status: RunStatus }>(
  runs: readonly T[],
  activity: Pick<RunActivity, "runId" | "status"> | null,
): T[] {
  if (!activity) return [...runs];
  return runs.map((run) =>
    run.id === activity.runId && run.status !== activity.status ? { ...run, status: activity.status } : run,
  );
}

/**
 * Describe the reviewed state of a run view's proposals as one string: each proposal's status, and
 * the value and source in effect for its input. The string changes whenever an accept, reject or
 * override changes the view, so the page fetches "What changed and why" again each time the view
 * shows a review, whichever control or tab made it.
 */
export function describeReviewState(view: Pick<PrioritizationRunView, "batches"> | null): string {
  if (!view) return "";
  return view.batches
    .flatMap((batch) => batch.proposals)
    .map((proposal) => {
      const current = proposal.current ? `${proposal.current.source}=${proposal.current.value}` : "none";
      const overridden = proposal.overridden ? "overridden" : "";
      return `${proposal.id}:${proposal.status}${overridden}:${current}`;
    })
    .sort()
    .join(",");
}

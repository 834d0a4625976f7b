import type { BatchStatus, RunErrorInfo } from "@/db/schema";

/**
 * Scope of a retry of a finished run: the batches it queues again. The server's retry and the
 * pages that show its count both read this module, so the number on the button is the number
 * re-run. The module has no server imports, so pages in the browser import it too.
 */

/** Statuses of the batches that a retry queues again, unless the content filter stopped them. */
export const retriedBatchStatuses: readonly BatchStatus[] = ["failed", "interrupted", "cancelled"];

/**
 * Check whether the provider's content filter stopped the batch: it rejected the prompt (model
 * error kind `content_filter`) or cut the response (outcome `content_filtered`). Sending the same
 * text again gets the same verdict, so a retry skips these batches until their items' text changes.
 */
export function isContentFiltered(error: RunErrorInfo | null | undefined): boolean {
  if (!error) return false;
  return error.code === "content_filtered" || error.modelErrorKind === "content_filter";
}

/** Check whether a retry of the batch's finished run queues this batch again. */
export function isRetriedBatch(batch: { status: BatchStatus; error: RunErrorInfo | null | undefined }): boolean {
  return retriedBatchStatuses.includes(batch.status) && !isContentFiltered(batch.error);
}

export interface RetryCounts {
  /** Batches that a retry queues again. */
  retried: number;
  /** Failed batches that the content filter stopped, which a retry leaves as they are. */
  contentFiltered: number;
}

/** Count the batches of a run that a retry queues again, and the failed ones that it skips. */
export function countRetryBatches(
  batches: ReadonlyArray<{ status: BatchStatus; error: RunErrorInfo | null | undefined }>,
): RetryCounts {
  let retried = 0;
  let contentFiltered = 0;
  for (const batch of batches) {
    if (!retriedBatchStatuses.includes(batch.status)) continue;
    if (isContentFiltered(batch.error)) contentFiltered++;
    else retried++;
  }
  return { retried, contentFiltered };
}

/**
 * Check whether a retry queues again a batch that was cancelled, so its button should speak of
 * unfinished batches rather than failed ones.
 */
export function retriesCancelledBatches(
  batches: ReadonlyArray<{ status: BatchStatus; error: RunErrorInfo | null | undefined }>,
): boolean {
  return batches.some((batch) => batch.status === "cancelled" && isRetriedBatch(batch));
}

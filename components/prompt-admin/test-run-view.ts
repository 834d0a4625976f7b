import type { PromptTestRun } from "@/db/schema";

/**
 * Build the label of a test run in run lists, such as "5 déc. 2026, 23:14 · en v1, fr draft".
 * `formatDateTime` formats in the UI locale and time zone (next-intl's `format.dateTime`), and
 * `draftLabel` names a target that was the draft.
 */
export function formatTestRunLabel(
  run: Pick<PromptTestRun, "createdAt" | "targets">,
  formatDateTime: (date: Date) => string,
  draftLabel: string,
): string {
  const targets = run.targets
    .map((target) => `${target.language} ${target.versionNumber ? `v${target.versionNumber}` : draftLabel}`)
    .join(", ");
  return `${formatDateTime(new Date(run.createdAt))} · ${targets}`;
}

/** Pipeline run statuses after which a test run changes no more. */
const finalStatuses = new Set(["completed", "partial", "failed", "cancelled"]);

/** Tell whether a test run has ended: its run reached a final status and no cell is waiting. */
export function isTestRunFinished(matrix: { status: string; totals: { pending: number } }): boolean {
  return finalStatuses.has(matrix.status) && matrix.totals.pending === 0;
}

/**
 * Tell whether "Run all" may start: the prompt has test cases, no start request is in flight, and
 * the test run on screen has ended. The server also rejects a second start on the same versions
 * while one is unfinished.
 */
export function canStartRunAll(params: {
  caseCount: number;
  starting: boolean;
  matrix: { status: string; totals: { pending: number } } | null;
}): boolean {
  if (params.caseCount === 0 || params.starting) return false;
  return params.matrix === null || isTestRunFinished(params.matrix);
}

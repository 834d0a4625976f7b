"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useFormatter, useLocale, useTranslations } from "next-intl";
import { type ReactNode, useCallback, useEffect, useRef, useState, useTransition } from "react";
import { reviewProposalsAction } from "@/app/(app)/w/[workspaceId]/prioritize/actions";
import { languageLabel } from "@/components/runs/labels";
import { useLocalizeServerError } from "@/components/server-error";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import type { Framework, RunStatus } from "@/db/schema";
import { parseServerErrorBody } from "@/lib/i18n/server-errors";
import { countRetryBatches, retriesCancelledBatches } from "@/lib/pipeline/retry-scope";
import { NO_THEME_LABEL } from "@/lib/prioritization/ai-inputs";
import { isCancelledBeforePlanning, isRunFinished, type RunEventMessage } from "@/lib/prioritization/ai-run-events";
import type { PrioritizationRunView } from "@/lib/prioritization/ai-runs";
import type { RankChange } from "@/lib/prioritization/changes";
import { BatchProposals, isAcceptable, type ReviewSelection } from "./batch-proposals";
import { describeRuns, type RunLabelValues } from "./run-labels";
import { BatchProgress, RunOverallProgress } from "./run-progress";
import { createResponseOrder, describeReviewState, isRefetchEvent, withLiveRunStatus } from "./run-view-sync";
import { type StartRunDefaults, StartRunForm } from "./start-run-form";
import { useRunStream } from "./use-run-stream";
import { WhatChanged } from "./what-changed";

export interface RunListEntry {
  id: string;
  status: RunStatus;
  createdAt: string;
  createdBy: string | null;
  framework: Framework;
  /** Language code of the rationales, such as `fr`. */
  language: string;
}

/**
 * Render the Prioritize page's live part: start a run, watch it batch by batch from its event stream,
 * review its proposals as each batch validates, and see what changed and why.
 */
export function PrioritizeWorkspace({
  workspaceId,
  canRunAi,
  canReview,
  defaults,
  initialView,
  runs,
  simulatedBadge,
}: {
  workspaceId: string;
  canRunAi: boolean;
  canReview: boolean;
  defaults: StartRunDefaults;
  initialView: PrioritizationRunView | null;
  runs: RunListEntry[];
  simulatedBadge: ReactNode;
}) {
  const t = useTranslations("prioritize");
  const locale = useLocale();
  const format = useFormatter();
  const localizeError = useLocalizeServerError();
  const router = useRouter();
  const [view, setView] = useState(initialView);
  const [lastChanges, setLastChanges] = useState<RankChange[] | null>(null);
  const [refreshKey, setRefreshKey] = useState(0);
  const [notice, setNotice] = useState<{ tone: "error" | "success"; text: string } | null>(null);
  const [busy, startBusy] = useTransition();
  const runId = initialView?.run.id ?? null;
  const responseOrder = useRef(createResponseOrder());
  const runRequests = useRef<AbortController | null>(null);

  useEffect(() => setView(initialView), [initialView]);

  // Fetches of the view of a run the page no longer shows are aborted, and their responses dropped.
  useEffect(() => {
    if (!runId) return;
    const controller = new AbortController();
    runRequests.current = controller;
    return () => {
      controller.abort();
      responseOrder.current.discardPending();
    };
  }, [runId]);

  const refetch = useCallback(async () => {
    if (!runId) return;
    const signal = runRequests.current?.signal;
    const ticket = responseOrder.current.next();
    try {
      const response = await fetch(`/api/v1/workspaces/${workspaceId}/prioritizations/${runId}`, {
        signal,
        cache: "no-store",
      });
      if (!response.ok) return;
      const next = (await response.json()) as PrioritizationRunView;
      if (responseOrder.current.accept(ticket)) setView(next);
    } catch (error) {
      if (signal?.aborted) return;
      throw error;
    }
  }, [workspaceId, runId]);

  const onEvent = useCallback(
    (event: RunEventMessage) => {
      if (!isRefetchEvent(event)) return;
      void refetch();
      setRefreshKey((key) => key + 1);
    },
    [refetch],
  );
  const { activity, streamError, reconnect } = useRunStream(initialView?.activity ?? null, onEvent);

  const review = (selection: ReviewSelection) =>
    startBusy(async () => {
      const result = await reviewProposalsAction(workspaceId, selection);
      if (!result.ok) {
        setNotice({ tone: "error", text: t("review.failed", { message: localizeError(result.error) }) });
        return;
      }
      setNotice({
        tone: "success",
        text: t(`review.done.${selection.action}`, { count: result.data.reviewed, ...result.data.skipped }),
      });
      setLastChanges(result.data.changes);
      // The comparison is fetched again once the view shows the review, and also when that fetch fails.
      try {
        await refetch();
      } finally {
        setRefreshKey((key) => key + 1);
      }
    });

  const control = (path: "cancel" | "retry") =>
    startBusy(async () => {
      if (!runId) return;
      const response = await fetch(`/api/v1/runs/${runId}/${path}`, { method: "POST" });
      if (!response.ok) {
        const serverError = parseServerErrorBody(await response.json().catch(() => null));
        setNotice({ tone: "error", text: serverError ? localizeError(serverError) : t("controlFailed") });
        return;
      }
      setNotice(null);
      if (path === "retry") reconnect();
    });

  const batchViews = new Map((view?.batches ?? []).map((batch) => [batch.id, batch]));
  const retryCounts = countRetryBatches(activity?.batches ?? []);
  const cancelledBeforePlanning = activity !== null && isCancelledBeforePlanning(activity);
  const pendingProposals =
    view?.batches.flatMap((batch) => batch.proposals).filter((p) => p.status === "proposed") ?? [];
  const listedRuns = withLiveRunStatus(runs, activity);
  const runLabels = describeRuns(listedRuns, {
    formatDateTime: (value, options) => format.dateTime(value, options),
    statusLabel: (status) => t(`progress.runStatuses.${status}`),
    frameworkLabel: (framework) => t(`frameworks.${framework}`),
    languageLabel: (language) => languageLabel(language, locale),
  });

  return (
    <div className="flex flex-col gap-6">
      {canRunAi ? (
        <StartRunForm
          workspaceId={workspaceId}
          defaults={defaults}
          onStarted={(id) => router.push(`/w/${workspaceId}/prioritize?run=${id}`)}
        />
      ) : null}

      {notice ? <Alert tone={notice.tone}>{notice.text}</Alert> : null}

      {view && activity ? (
        <section
          aria-labelledby="run-heading"
          className="flex flex-col gap-4 rounded-lg border border-slate-200 bg-white p-4"
        >
          <div className="flex flex-wrap items-center gap-3">
            <h2 id="run-heading" className="text-lg font-semibold text-slate-900">
              {t("run.title", {
                framework: t(`frameworks.${view.run.framework}`),
                language: languageLabel(view.run.language, locale),
              })}
            </h2>
            {simulatedBadge}
            <div className="ml-auto flex flex-wrap gap-2">
              {canRunAi && !isRunFinished(activity) ? (
                <Button variant="danger" disabled={busy || activity.cancelRequested} onClick={() => control("cancel")}>
                  {t("run.cancel")}
                </Button>
              ) : null}
              {canRunAi && isRunFinished(activity) && retryCounts.retried > 0 ? (
                <Button disabled={busy} onClick={() => control("retry")}>
                  {t(retriesCancelledBatches(activity.batches) ? "run.retryUnfinished" : "run.retryFailed", {
                    count: retryCounts.retried,
                  })}
                </Button>
              ) : null}
              {canRunAi && cancelledBeforePlanning ? (
                <Button disabled={busy} onClick={() => control("retry")}>
                  {t("run.runAgain")}
                </Button>
              ) : null}
              {canReview && pendingProposals.some(isAcceptable) ? (
                <Button
                  variant="secondary"
                  disabled={busy}
                  onClick={() => review({ action: "accept", runId: view.run.id })}
                >
                  {t("review.acceptAll")}
                </Button>
              ) : null}
            </div>
          </div>
          <RunOverallProgress activity={activity} />
          {streamError ? <p className="text-sm text-amber-900">{streamError}</p> : null}
          {activity.batches.length === 0 && !isRunFinished(activity) ? (
            <p className="text-sm text-slate-600">{t("run.planning")}</p>
          ) : null}
          {isRunFinished(activity) && activity.batches.length === 0 && !cancelledBeforePlanning ? (
            <p className="text-sm text-slate-600">{t("run.nothingPlanned")}</p>
          ) : null}
          {cancelledBeforePlanning ? (
            <p className="text-sm text-slate-600">{t("run.cancelledBeforePlanning")}</p>
          ) : null}
          {isRunFinished(activity) && retryCounts.contentFiltered > 0 ? (
            <p className="text-sm text-amber-900" data-testid="content-filtered-note">
              {t("run.contentFiltered", { count: retryCounts.contentFiltered })}
            </p>
          ) : null}
          <ol className="flex flex-col gap-4">
            {activity.batches.map((batch) => {
              const batchView = batchViews.get(batch.id);
              const label =
                batchView?.theme === null ? batch.label.replace(NO_THEME_LABEL, t("run.noTheme")) : batch.label;
              return (
                <li key={batch.id} className="rounded-md border border-slate-100 p-3" data-batch-label={batch.label}>
                  <BatchProgress batch={batch} label={label}>
                    {batchView && batchView.proposals.length > 0 ? (
                      <BatchProposals
                        workspaceId={workspaceId}
                        batch={batchView}
                        evidence={view.evidence}
                        canReview={canReview}
                        busy={busy}
                        onReview={review}
                        onOverridden={(changes) => {
                          setLastChanges(changes);
                          void refetch().finally(() => setRefreshKey((key) => key + 1));
                        }}
                      />
                    ) : null}
                  </BatchProgress>
                </li>
              );
            })}
          </ol>
        </section>
      ) : (
        <p className="text-sm text-slate-600">{t("run.none")}</p>
      )}

      {view ? (
        <WhatChanged
          workspaceId={workspaceId}
          runId={view.run.id}
          otherRuns={listedRuns.flatMap((run) => {
            const label = runLabels.get(run.id);
            return run.id !== view.run.id && label ? [{ id: run.id, label }] : [];
          })}
          lastChanges={lastChanges}
          refreshKey={`${refreshKey}/${describeReviewState(view)}`}
        />
      ) : null}

      <RunHistory workspaceId={workspaceId} runs={listedRuns} runLabels={runLabels} currentRunId={runId} />
    </div>
  );
}

function RunHistory({
  workspaceId,
  runs,
  runLabels,
  currentRunId,
}: {
  workspaceId: string;
  runs: RunListEntry[];
  runLabels: Map<string, RunLabelValues>;
  currentRunId: string | null;
}) {
  const t = useTranslations("prioritize");
  if (runs.length === 0) return null;
  return (
    <section aria-labelledby="history-heading" className="flex flex-col gap-2">
      <h2 id="history-heading" className="text-lg font-semibold text-slate-900">
        {t("history.title")}
      </h2>
      <ul className="flex flex-col gap-1 text-sm">
        {runs.map((run) => (
          <li key={run.id}>
            <Link
              href={`/w/${workspaceId}/prioritize?run=${run.id}`}
              aria-current={run.id === currentRunId ? "page" : undefined}
              className="text-indigo-700 hover:underline aria-[current=page]:font-semibold"
            >
              {t("history.entry", {
                ...runLabels.get(run.id),
                user: run.createdBy ?? t("history.unknownUser"),
              })}
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}

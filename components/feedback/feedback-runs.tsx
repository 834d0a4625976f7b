"use client";

import { useTranslations } from "next-intl";
import { useCallback, useState } from "react";
import { BatchProgress, RunOverallProgress } from "@/components/prioritize/run-progress";
import { useRunStream } from "@/components/prioritize/use-run-stream";
import { useLocalizeServerError } from "@/components/server-error";
import { Button } from "@/components/ui/button";
import { parseServerErrorBody } from "@/lib/i18n/server-errors";
import { countRetryBatches, retriesCancelledBatches } from "@/lib/pipeline/retry-scope";
import {
  createRunActivity,
  isCancelledBeforePlanning,
  isRunFinished,
  type RunActivity,
  type RunEventMessage,
} from "@/lib/prioritization/ai-run-events";

/** Start a feedback run through the REST API; returns the new run's activity or an error message. */
export async function startFeedbackRunRequest(
  workspaceId: string,
  kind: "summaries" | "suggestions",
  themes?: string[],
): Promise<{ activity: RunActivity } | { error: { code: string; message: string } }> {
  const response = await fetch(`/api/v1/workspaces/${workspaceId}/feedback/${kind}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(themes ? { themes } : {}),
  });
  const body = (await response.json()) as { runId?: string; error?: { code: string; message: string } };
  if (!response.ok || !body.runId) return { error: body.error ?? { code: "failed", message: response.statusText } };
  return { activity: createRunActivity({ run: { id: body.runId, status: "queued" }, batches: [] }) };
}

/**
 * Render a feedback run's live progress, one bar per theme, with cancel and "retry failed batches"
 * (or "run again" for a run cancelled before its batches were planned).
 * `onEvent` lets the page reload results as batches finish.
 */
export function FeedbackRunProgress({
  activity: initial,
  canRunAi,
  onEvent,
  renderBatch,
}: {
  activity: RunActivity;
  canRunAi: boolean;
  onEvent?: (event: RunEventMessage) => void;
  renderBatch?: (batchId: string) => React.ReactNode;
}) {
  const t = useTranslations("feedback.run");
  const localizeError = useLocalizeServerError();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { activity, streamError, reconnect } = useRunStream(initial, onEvent);
  const control = useCallback(
    async (path: "cancel" | "retry") => {
      if (!activity) return;
      setBusy(true);
      try {
        const response = await fetch(`/api/v1/runs/${activity.runId}/${path}`, { method: "POST" });
        if (!response.ok) {
          const serverError = parseServerErrorBody(await response.json().catch(() => null));
          setError(serverError ? localizeError(serverError) : t("controlFailed"));
          return;
        }
        setError(null);
        if (path === "retry") reconnect();
      } finally {
        setBusy(false);
      }
    },
    [activity, reconnect, t, localizeError],
  );
  if (!activity) return null;
  const retryCounts = countRetryBatches(activity.batches);

  return (
    <div className="flex flex-col gap-3">
      <RunOverallProgress activity={activity} />
      {streamError || error ? <p className="text-sm text-rose-800">{streamError ?? error}</p> : null}
      {canRunAi ? (
        <div className="flex gap-2">
          {!isRunFinished(activity) ? (
            <Button variant="danger" disabled={busy || activity.cancelRequested} onClick={() => control("cancel")}>
              {t("cancel")}
            </Button>
          ) : null}
          {isRunFinished(activity) && retryCounts.retried > 0 ? (
            <Button disabled={busy} onClick={() => control("retry")}>
              {t(retriesCancelledBatches(activity.batches) ? "retryUnfinished" : "retryFailed", {
                count: retryCounts.retried,
              })}
            </Button>
          ) : null}
          {isCancelledBeforePlanning(activity) ? (
            <Button disabled={busy} onClick={() => control("retry")}>
              {t("runAgain")}
            </Button>
          ) : null}
        </div>
      ) : null}
      {isRunFinished(activity) && retryCounts.contentFiltered > 0 ? (
        <p className="text-sm text-amber-900">{t("contentFiltered", { count: retryCounts.contentFiltered })}</p>
      ) : null}
      <ol className="flex flex-col gap-3">
        {activity.batches.map((batch) => (
          <li key={batch.id} className="rounded-md border border-slate-100 p-3">
            <BatchProgress batch={batch} label={batch.label}>
              {renderBatch?.(batch.id)}
            </BatchProgress>
          </li>
        ))}
      </ol>
    </div>
  );
}

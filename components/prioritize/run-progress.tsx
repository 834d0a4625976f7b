"use client";

import { useTranslations } from "next-intl";
import type { ReactNode } from "react";
import { useLocalizeServerError } from "@/components/server-error";
import {
  type BatchActivity,
  batchProgress,
  type RunActivity,
  summarizeProgress,
} from "@/lib/prioritization/ai-run-events";

const statusTones: Record<string, string> = {
  pending: "bg-slate-100 text-slate-700",
  running: "bg-sky-100 text-sky-800",
  succeeded: "bg-emerald-100 text-emerald-800",
  failed: "bg-rose-100 text-rose-800",
  cancelled: "bg-slate-200 text-slate-700",
  interrupted: "bg-amber-100 text-amber-900",
};

function ProgressBar({ value, max, label, tone }: { value: number; max: number; label: string; tone: string }) {
  const percent = max === 0 ? 0 : Math.round((value / max) * 100);
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={max}
      aria-valuenow={value}
      className="h-2 w-full overflow-hidden rounded-full bg-slate-200"
    >
      <div className={`h-full ${tone} transition-[width] duration-300`} style={{ width: `${percent}%` }} />
    </div>
  );
}

/** Render the run's overall progress: batches finished out of all, with counts by outcome. */
export function RunOverallProgress({ activity }: { activity: RunActivity }) {
  const t = useTranslations("prioritize.progress");
  const tRun = useTranslations("prioritize.run");
  const localizeError = useLocalizeServerError();
  const progress = summarizeProgress(activity);
  return (
    <div className="flex flex-col gap-1" data-testid="run-progress">
      <div className="flex flex-wrap items-center justify-between gap-2 text-sm">
        <span className="font-medium text-slate-900" data-testid="run-status" data-status={activity.status}>
          {t(`runStatuses.${activity.status}`)}
          {activity.cancelRequested && activity.status === "running" ? ` · ${t("cancelling")}` : ""}
        </span>
        <span className="text-slate-600">
          {t("batchCounts", {
            finished: progress.finished,
            total: progress.total,
            succeeded: progress.succeeded,
            failed: progress.failed,
            cancelled: progress.cancelled,
          })}
        </span>
      </div>
      <ProgressBar value={progress.finished} max={progress.total} label={t("overall")} tone="bg-indigo-600" />
      {activity.retries.map((retry, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: retries have no id and are only ever appended.
        <p key={index} className="text-sm text-slate-700" data-testid="run-retry">
          {tRun("retried", { status: retry.previousStatus, count: retry.batches })}
        </p>
      ))}
      {activity.error ? <p className="text-sm text-rose-800">{localizeError(activity.error)}</p> : null}
    </div>
  );
}

/**
 * Render one batch's progress and what happened to it: status, model requests, correction retries,
 * JSON repairs, validation errors, requeues after a worker stopped, and the error of a failed batch.
 */
export function BatchProgress({
  batch,
  label,
  children,
}: {
  batch: BatchActivity;
  label: string;
  children?: ReactNode;
}) {
  const t = useTranslations("prioritize.progress");
  const localizeError = useLocalizeServerError();
  const notes: string[] = [];
  if (batch.attempts > 0) notes.push(t("attempts", { count: batch.attempts }));
  if (batch.corrections > 0) notes.push(t("corrections", { count: batch.corrections }));
  if (batch.moreTokens > 0) notes.push(t("moreTokens", { count: batch.moreTokens }));
  if (batch.repairs.length > 0) notes.push(t("repairs", { repairs: batch.repairs.join(", ") }));
  if (batch.requeues > 0) notes.push(t("requeues", { count: batch.requeues }));

  return (
    <div className="flex flex-col gap-1.5" data-testid="batch" data-batch-status={batch.status}>
      <div className="flex flex-wrap items-center gap-2">
        <h3 className="text-sm font-semibold text-slate-900">{label}</h3>
        <span className={`rounded px-1.5 py-0.5 text-xs font-medium ${statusTones[batch.status] ?? ""}`}>
          {t(`batchStatuses.${batch.status}`)}
        </span>
        {notes.length > 0 ? <span className="text-xs text-slate-600">{notes.join(" · ")}</span> : null}
      </div>
      <ProgressBar
        value={batchProgress(batch)}
        max={100}
        label={t("batchLabel", { batch: label })}
        tone={batch.status === "failed" || batch.status === "interrupted" ? "bg-rose-500" : "bg-sky-500"}
      />
      {batch.invalidAnswers > 0 && batch.status !== "succeeded" ? (
        <ul className="text-xs text-amber-900">
          {batch.lastValidationErrors.slice(0, 3).map((issue) => (
            <li key={`${issue.path}:${issue.message}`}>
              {issue.path}: {issue.message}
            </li>
          ))}
        </ul>
      ) : null}
      {batch.error ? (
        <p
          className={batch.status === "cancelled" ? "text-sm text-slate-700" : "text-sm text-rose-800"}
          data-testid="batch-error"
          data-error-code={batch.error.code}
        >
          {t(batch.status === "cancelled" ? "batchCancelled" : "batchError", { message: localizeError(batch.error) })}
        </p>
      ) : null}
      {children}
    </div>
  );
}

import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { CallCard } from "@/components/runs/call-card";
import { languageLabel, runKindKey } from "@/components/runs/labels";
import { RunControls } from "@/components/runs/run-controls";
import { ServerErrorText } from "@/components/server-error";
import { requirePageWorkspace } from "@/components/shell/session";
import { PageHeader } from "@/components/ui/page-header";
import { Stat } from "@/components/ui/stat";
import { getDb } from "@/db";
import { getLastRunEventId, getRunById, listBatches, listModelCalls } from "@/db/queries/runs";
import { getUserById } from "@/db/queries/users";
import { finishedRunStatuses } from "@/db/schema";
import { hasCapability } from "@/lib/auth/roles";
import { countRetryBatches, retriesCancelledBatches } from "@/lib/pipeline/retry-scope";
import { isCancelledBeforePlanning, summarizeProgress } from "@/lib/prioritization/ai-run-events";
import { loadRunActivity } from "@/lib/prioritization/ai-run-view";
import { PRIORITIZATION_TASK_KIND, type PrioritizationInput } from "@/lib/prioritization/ai-task";
import { mayReadRunKind } from "@/lib/prompt-admin/run-kinds";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("runs.detail"))("metaTitle") };
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Render one run: its summary, its batches with their results or errors, and every model call. */
export default async function RunPage({ params }: { params: Promise<{ workspaceId: string; runId: string }> }) {
  const { workspaceId, runId } = await params;
  const { actor, workspace } = await requirePageWorkspace(workspaceId);
  const db = await getDb();
  if (!uuidPattern.test(runId)) notFound();
  // The event cursor is read before the rows, so the rows reflect every event up to it, as in
  // `getPrioritizationRunView`. The page's event stream sends the later events.
  const lastEventId = await getLastRunEventId(db, { runId });
  const run = await getRunById(db, { runId });
  if (!run || run.workspaceId !== workspace.id || !mayReadRunKind(actor.role, run.kind)) notFound();

  const [batches, calls, creator] = await Promise.all([
    listBatches(db, { runId }),
    listModelCalls(db, { runId }),
    run.createdBy ? getUserById(db, { id: run.createdBy }) : undefined,
  ]);
  const activity = await loadRunActivity(db, run, batches, { throughEventId: lastEventId });
  const progress = summarizeProgress(activity);
  const t = await getTranslations("runs");
  const tFrameworks = await getTranslations("frameworks");
  const framework = run.kind === PRIORITIZATION_TASK_KIND ? (run.input as PrioritizationInput).framework : null;
  const format = await getFormatter();
  const locale = await getLocale();
  const kindKey = runKindKey(run.kind);
  const finished = finishedRunStatuses.includes(run.status);
  const cancelledBeforePlanning = isCancelledBeforePlanning({ status: run.status, batches });
  const retryCounts = countRetryBatches(batches);
  let retry: "batches" | "unfinished" | "run" | null = null;
  if (cancelledBeforePlanning) retry = "run";
  else if (finished && retryCounts.retried > 0) retry = retriesCancelledBatches(batches) ? "unfinished" : "batches";
  const durationMs = run.startedAt ? (run.finishedAt ?? new Date()).getTime() - run.startedAt.getTime() : null;

  return (
    <>
      <p className="mb-2 text-sm">
        <Link className="text-indigo-700 hover:underline" href={`/w/${workspace.id}/runs`}>
          {t("detail.back")}
        </Link>
      </p>
      <PageHeader
        title={t("detail.title", { kind: kindKey ? t(`kinds.${kindKey}`) : run.kind })}
        description={t("detail.description", {
          createdAt: format.dateTime(run.createdAt, { dateStyle: "medium", timeStyle: "medium" }),
          language: languageLabel(run.language, locale),
        })}
        actions={
          <RunControls runId={run.id} active={!finished} retry={retry} canAct={hasCapability(actor.role, "runAi")} />
        }
      />
      <dl className="mb-6 grid grid-cols-2 gap-3 sm:grid-cols-4">
        <Stat label={t("status")} value={t(`statuses.${run.status}`)} />
        {framework ? <Stat label={t("detail.framework")} value={tFrameworks(framework)} /> : null}
        <Stat
          label={t("batches")}
          value={t("batchCounts", {
            succeeded: progress.succeeded,
            failed: progress.failed,
            cancelled: progress.cancelled,
            total: run.batchCount,
          })}
        />
        <Stat
          label={t("duration")}
          value={durationMs === null ? "—" : t("seconds", { value: Math.round(durationMs / 100) / 10 })}
        />
        <Stat
          label={t("cost")}
          value={format.number(run.costUsd, { style: "currency", currency: "USD", maximumFractionDigits: 4 })}
        />
        <Stat
          label={t("tokens")}
          value={t("detail.tokenCounts", { input: run.inputTokens, output: run.outputTokens })}
        />
        <Stat label={t("detail.calls")} value={run.callCount} />
        <Stat label={t("startedBy")} value={creator?.name ?? t("unknownUser")} />
        <Stat label={t("detail.executions")} value={run.executions} />
      </dl>
      {activity.retries.map((retry, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: retries have no id and are only ever appended.
        <p key={index} className="mb-2 text-sm text-slate-700" data-testid="run-retry">
          {t("detail.retried", { status: retry.previousStatus, count: retry.batches })}
        </p>
      ))}
      {run.error ? <ServerErrorText error={run.error} withServerMessage className="mb-4 text-red-700" /> : null}
      {finished && retryCounts.contentFiltered > 0 ? (
        <p className="mb-4 text-sm text-amber-900">
          {t("detail.contentFiltered", { count: retryCounts.contentFiltered })}
        </p>
      ) : null}

      <h2 className="mb-3 text-lg font-semibold text-slate-900">{t("detail.batchesTitle")}</h2>
      {batches.length === 0 ? (
        <p className="text-sm text-slate-600">
          {t(cancelledBeforePlanning ? "detail.cancelledBeforePlanning" : "detail.noBatches")}
        </p>
      ) : null}
      <ol className="space-y-4">
        {batches.map((batch) => (
          <li key={batch.id} className="rounded-lg border border-slate-200 bg-slate-50 p-4">
            <div className="flex flex-wrap items-baseline justify-between gap-2">
              <h3 className="font-medium text-slate-900">
                {t("detail.batchTitle", { position: batch.position + 1, label: batch.label })}
              </h3>
              <p className="text-sm text-slate-700">
                {t("detail.batchLine", {
                  status: t(`detail.batchStatuses.${batch.status}`),
                  outcome: batch.outcome ? t(`detail.outcomes.${batch.outcome}`) : "—",
                  attempts: batch.attempts,
                  executions: batch.executions,
                })}
              </p>
            </div>
            {batch.error ? (
              <ServerErrorText error={batch.error} withServerMessage className="mt-1 text-sm text-red-700" />
            ) : null}
            {batch.result !== null ? (
              <details className="mt-2">
                <summary className="cursor-pointer text-sm">{t("detail.result")}</summary>
                <pre className="mt-1 max-h-80 overflow-auto whitespace-pre-wrap break-words rounded bg-white p-2 text-xs">
                  {JSON.stringify(batch.result, null, 2)}
                </pre>
              </details>
            ) : null}
            <div className="mt-3 space-y-2">
              {calls
                .filter((call) => call.batchId === batch.id)
                .map((call) => (
                  <CallCard key={call.id} call={call} />
                ))}
            </div>
          </li>
        ))}
      </ol>
    </>
  );
}

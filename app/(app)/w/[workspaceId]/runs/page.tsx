import type { Metadata } from "next";
import Link from "next/link";
import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { languageLabel, runKindKey } from "@/components/runs/labels";
import { requirePageWorkspace } from "@/components/shell/session";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { getDb } from "@/db";
import { countBatchesByStatus } from "@/db/queries/runs";
import type { Run } from "@/db/schema";
import { listRunsForActor } from "@/lib/pipeline/service";
import { PRIORITIZATION_TASK_KIND, type PrioritizationInput } from "@/lib/prioritization/ai-task";

/** Runs listed on the page, newest first. */
const RUNS_SHOWN = 20;

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("nav"))("runs") };
}

export default async function RunsPage({ params }: { params: Promise<{ workspaceId: string }> }) {
  const { actor, workspace } = await requirePageWorkspace((await params).workspaceId);
  const db = await getDb();
  const runs = await listRunsForActor(db, actor, { workspaceId: workspace.id, limit: RUNS_SHOWN });
  const batchStatuses = await countBatchesByStatus(db, { runIds: runs.map((run) => run.id) });
  const t = await getTranslations("runs");
  const tFrameworks = await getTranslations("frameworks");
  const locale = await getLocale();
  // Prioritization runs also name their framework and language, so runs of one day read apart.
  const kindLabel = (run: Pick<Run, "kind" | "input" | "language">) => {
    const key = runKindKey(run.kind);
    const kind = key ? t(`kinds.${key}`) : run.kind;
    if (run.kind !== PRIORITIZATION_TASK_KIND) return kind;
    const framework = tFrameworks((run.input as PrioritizationInput).framework);
    return t("kindWithSettings", { kind, framework, language: languageLabel(run.language, locale) });
  };
  const format = await getFormatter();

  if (runs.length === 0) {
    return (
      <>
        <PageHeader title={t("title")} description={t("description")} />
        <EmptyState title={t("emptyTitle")} description={t("emptyDescription")} />
      </>
    );
  }

  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">{t("caption", { count: runs.length })}</caption>
          <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-600">
            <tr>
              <th scope="col" className="px-4 py-2">
                {t("startedAt")}
              </th>
              <th scope="col" className="px-4 py-2">
                {t("kind")}
              </th>
              <th scope="col" className="px-4 py-2">
                {t("status")}
              </th>
              <th scope="col" className="px-4 py-2">
                {t("batches")}
              </th>
              <th scope="col" className="px-4 py-2">
                {t("startedBy")}
              </th>
              <th scope="col" className="px-4 py-2 text-right">
                {t("duration")}
              </th>
              <th scope="col" className="px-4 py-2 text-right">
                {t("tokens")}
              </th>
              <th scope="col" className="px-4 py-2 text-right">
                {t("cost")}
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {runs.map((run) => (
              <tr key={run.id}>
                <td className="px-4 py-2">
                  <Link className="text-indigo-700 hover:underline" href={`/w/${workspace.id}/runs/${run.id}`}>
                    {format.dateTime(run.createdAt, { dateStyle: "medium", timeStyle: "short" })}
                  </Link>
                </td>
                <td className="px-4 py-2">{kindLabel(run)}</td>
                <td className="px-4 py-2">{t(`statuses.${run.status}`)}</td>
                <td className="px-4 py-2">
                  {t("batchCounts", {
                    succeeded: run.batchesSucceeded,
                    failed: (batchStatuses.get(run.id)?.failed ?? 0) + (batchStatuses.get(run.id)?.interrupted ?? 0),
                    cancelled: batchStatuses.get(run.id)?.cancelled ?? 0,
                    total: run.batchCount,
                  })}
                </td>
                <td className="px-4 py-2">{run.createdByName ?? t("unknownUser")}</td>
                <td className="px-4 py-2 text-right">
                  {run.startedAt && run.finishedAt
                    ? t("seconds", {
                        value: Math.round((run.finishedAt.getTime() - run.startedAt.getTime()) / 100) / 10,
                      })
                    : "—"}
                </td>
                <td className="px-4 py-2 text-right">{format.number(run.inputTokens + run.outputTokens)}</td>
                <td className="px-4 py-2 text-right">
                  {format.number(run.costUsd, { style: "currency", currency: "USD", maximumFractionDigits: 4 })}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { z } from "zod";
import { SimulatedBadge } from "@/components/ai/simulated-badge";
import { PrioritizeWorkspace } from "@/components/prioritize/prioritize-workspace";
import { requirePageWorkspace } from "@/components/shell/session";
import { buttonClasses } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { getDb } from "@/db";
import { getBacklogSettings, listBacklogItems, listBacklogThemes } from "@/db/queries/backlog";
import { hasCapability } from "@/lib/auth/roles";
import { isAppError } from "@/lib/errors";
import { locales } from "@/lib/i18n/locales";
import { chooseRunToOpen, listRunsOfKind } from "@/lib/prioritization/ai-run-view";
import { getPrioritizationRunView } from "@/lib/prioritization/ai-runs";
import { MAX_SELECTED_ITEMS, PRIORITIZATION_TASK_KIND, type PrioritizationInput } from "@/lib/prioritization/ai-task";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("nav"))("prioritize") };
}

/** Prioritization runs listed for comparison and re-opening. */
const RUNS_LISTED = 10;

const searchSchema = z.object({
  run: z.uuid().optional().catch(undefined),
  items: z
    .string()
    .max(MAX_SELECTED_ITEMS * 37)
    .optional()
    .catch(undefined),
});

async function loadView(workspaceId: string, runId: string) {
  try {
    return await getPrioritizationRunView(await getDb(), { workspaceId, runId });
  } catch (error) {
    if (isAppError(error) && error.status === 404) notFound();
    throw error;
  }
}

/**
 * Prioritize with AI. Without `?run=`, the page shows the workspace's latest run that is still
 * going or has batches (see chooseRunToOpen), so closing the tab and coming back re-attaches to a
 * run that is still going. `?items=` carries a selection from the backlog page.
 */
export default async function PrioritizePage({
  params,
  searchParams,
}: {
  params: Promise<{ workspaceId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { actor, workspace } = await requirePageWorkspace((await params).workspaceId);
  const search = searchSchema.parse(await searchParams);
  const db = await getDb();
  const t = await getTranslations("prioritize");

  const [settings, themes, runs] = await Promise.all([
    getBacklogSettings(db, { workspaceId: workspace.id }),
    listBacklogThemes(db, { workspaceId: workspace.id }),
    listRunsOfKind(db, { workspaceId: workspace.id, kind: PRIORITIZATION_TASK_KIND, limit: RUNS_LISTED }),
  ]);
  const runId = search.run ?? chooseRunToOpen(runs)?.id;
  const view = runId ? await loadView(workspace.id, runId) : null;

  const requested = (search.items ?? "").split(",").filter((id) => z.uuid().safeParse(id).success);
  const selected = requested.length
    ? await listBacklogItems(db, { workspaceId: workspace.id, itemIds: requested.slice(0, MAX_SELECTED_ITEMS) })
    : [];
  const locale = actor.locale ?? (await getLocale());

  return (
    <>
      <PageHeader
        title={t("title")}
        description={t("description")}
        actions={
          <Link href={`/w/${workspace.id}/feedback`} className={buttonClasses("ghost")}>
            {t("feedbackLink")}
          </Link>
        }
      />
      <PrioritizeWorkspace
        workspaceId={workspace.id}
        canRunAi={hasCapability(actor.role, "runAi")}
        canReview={hasCapability(actor.role, "editBacklog")}
        defaults={{
          framework: settings.framework,
          language: (locales as readonly string[]).includes(locale) ? locale : "en",
          languages: [...locales],
          themes: themes.flatMap((row) => (row.theme ? [row.theme] : [])),
          selectedItemIds: selected.map((item) => item.id),
        }}
        initialView={view}
        runs={runs.map((run) => ({
          id: run.id,
          status: run.status,
          createdAt: run.createdAt.toISOString(),
          createdBy: run.createdByName,
          framework: (run.input as PrioritizationInput).framework,
          language: run.language,
        }))}
        simulatedBadge={<SimulatedBadge />}
      />
    </>
  );
}

import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { loadBacklogPageView } from "@/components/backlog/backlog-data";
import { BacklogToolbar } from "@/components/backlog/backlog-toolbar";
import { BacklogWorkbench } from "@/components/backlog/backlog-workbench";
import { parseBacklogQuery } from "@/components/backlog/query";
import { requirePageWorkspace } from "@/components/shell/session";
import { buttonClasses } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { getDb } from "@/db";
import { hasCapability } from "@/lib/auth/roles";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("nav"))("backlog") };
}

/**
 * Render the ranked backlog, read from the database and scored in code on every request. Nothing
 * on this path calls a model. Filters and pages come from the URL.
 */
export default async function BacklogPage({
  params,
  searchParams,
}: {
  params: Promise<{ workspaceId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { actor, workspace } = await requirePageWorkspace((await params).workspaceId);
  const query = parseBacklogQuery(await searchParams);
  const view = await loadBacklogPageView(await getDb(), { workspaceId: workspace.id, query });
  const t = await getTranslations("backlog");
  const canEdit = hasCapability(actor.role, "editBacklog");
  const canRunAi = hasCapability(actor.role, "runAi");

  const header = (
    <PageHeader
      title={t("title")}
      description={t("description", { workspace: workspace.name })}
      actions={
        <Link href={`/w/${workspace.id}/feedback`} className={buttonClasses("ghost")}>
          {t("feedbackLink")}
        </Link>
      }
    />
  );

  if (view.itemCount === 0) {
    return (
      <>
        {header}
        <div className="mb-6">
          <EmptyState title={t("emptyTitle")} description={t("emptyDescription")} />
        </div>
        <BacklogWorkbench workspaceId={workspace.id} view={view} query={query} canEdit={canEdit} canRunAi={canRunAi} />
      </>
    );
  }

  return (
    <>
      {header}
      <BacklogToolbar
        workspaceId={workspace.id}
        query={query}
        framework={view.framework}
        workspaceFramework={view.workspaceFramework}
        themes={view.themes}
        canEdit={canEdit}
      />
      <BacklogWorkbench workspaceId={workspace.id} view={view} query={query} canEdit={canEdit} canRunAi={canRunAi} />
    </>
  );
}

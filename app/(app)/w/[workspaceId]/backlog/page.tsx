import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { requirePageWorkspace } from "@/components/shell/session";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Stat } from "@/components/ui/stat";
import { getDb } from "@/db";
import { getWorkspaceOverview } from "@/db/queries/overview";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("nav"))("backlog") };
}

export default async function BacklogPage({ params }: { params: Promise<{ workspaceId: string }> }) {
  const { workspace } = await requirePageWorkspace((await params).workspaceId);
  const overview = await getWorkspaceOverview(await getDb(), { workspaceId: workspace.id });
  const t = await getTranslations("backlog");

  return (
    <>
      <PageHeader title={t("title")} description={t("description", { workspace: workspace.name })} />
      {overview.items === 0 ? (
        <EmptyState title={t("emptyTitle")} description={t("emptyDescription")} />
      ) : (
        <dl className="grid gap-4 sm:grid-cols-3">
          <Stat label={t("items")} value={overview.items} />
          <Stat label={t("themes")} value={overview.themes} />
          <Stat label={t("pendingProposals")} value={overview.pendingProposals} />
        </dl>
      )}
    </>
  );
}

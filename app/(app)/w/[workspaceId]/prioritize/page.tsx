import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { requirePageWorkspace } from "@/components/shell/session";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Stat } from "@/components/ui/stat";
import { getDb } from "@/db";
import { getWorkspaceOverview } from "@/db/queries/overview";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("nav"))("prioritize") };
}

export default async function PrioritizePage({ params }: { params: Promise<{ workspaceId: string }> }) {
  const { workspace } = await requirePageWorkspace((await params).workspaceId);
  const overview = await getWorkspaceOverview(await getDb(), { workspaceId: workspace.id });
  const t = await getTranslations("prioritize");
  const tFrameworks = await getTranslations("frameworks");

  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      {overview.items === 0 ? (
        <EmptyState title={t("emptyTitle")} description={t("emptyDescription")} />
      ) : (
        <dl className="grid gap-4 sm:grid-cols-3">
          <Stat label={t("framework")} value={tFrameworks(overview.framework)} />
          <Stat label={t("items")} value={overview.items} />
          <Stat label={t("pendingProposals")} value={overview.pendingProposals} />
        </dl>
      )}
    </>
  );
}

import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { requirePageWorkspace } from "@/components/shell/session";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Stat } from "@/components/ui/stat";
import { getDb } from "@/db";
import { getWorkspaceOverview } from "@/db/queries/overview";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("nav"))("knowledge") };
}

export default async function KnowledgePage({ params }: { params: Promise<{ workspaceId: string }> }) {
  const { workspace } = await requirePageWorkspace((await params).workspaceId);
  const { documents } = await getWorkspaceOverview(await getDb(), { workspaceId: workspace.id });
  const t = await getTranslations("knowledge");
  const total = documents.feedback + documents.note + documents.file;

  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      {total === 0 ? (
        <EmptyState title={t("emptyTitle")} description={t("emptyDescription")} />
      ) : (
        <dl className="grid gap-4 sm:grid-cols-3">
          <Stat label={t("feedback")} value={documents.feedback} />
          <Stat label={t("notes")} value={documents.note} />
          <Stat label={t("files")} value={documents.file} />
        </dl>
      )}
    </>
  );
}

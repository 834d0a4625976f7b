import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { requirePageWorkspace } from "@/components/shell/session";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("nav"))("runs") };
}

export default async function RunsPage({ params }: { params: Promise<{ workspaceId: string }> }) {
  await requirePageWorkspace((await params).workspaceId);
  const t = await getTranslations("runs");

  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <EmptyState title={t("emptyTitle")} description={t("emptyDescription")} />
    </>
  );
}

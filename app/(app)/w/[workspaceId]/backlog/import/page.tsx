import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { ImportFlow } from "@/components/backlog/import-flow";
import { requirePageCapability, requirePageWorkspace } from "@/components/shell/session";
import { PageHeader } from "@/components/ui/page-header";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("backlog.import"))("title") };
}

/** CSV import of backlog items, for members who may edit the backlog. */
export default async function ImportPage({ params }: { params: Promise<{ workspaceId: string }> }) {
  const { workspace } = await requirePageWorkspace((await params).workspaceId);
  await requirePageCapability("editBacklog");
  const t = await getTranslations("backlog.import");

  return (
    <>
      <PageHeader title={t("title")} description={t("description", { workspace: workspace.name })} />
      <ImportFlow workspaceId={workspace.id} />
    </>
  );
}

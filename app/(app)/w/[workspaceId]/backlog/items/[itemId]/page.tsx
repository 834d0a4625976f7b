import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { z } from "zod";
import { SimulatedBadge } from "@/components/ai/simulated-badge";
import { ItemDetail } from "@/components/backlog/item-detail";
import { loadItemDetailView } from "@/components/backlog/item-detail-data";
import { requirePageWorkspace } from "@/components/shell/session";
import { PageHeader } from "@/components/ui/page-header";
import { getDb } from "@/db";
import { listBacklogThemes } from "@/db/queries/backlog";
import { hasCapability } from "@/lib/auth/roles";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("nav"))("backlog") };
}

/** Render one backlog item: fields, scores in every framework, PM overrides and each input's history. */
export default async function ItemPage({ params }: { params: Promise<{ workspaceId: string; itemId: string }> }) {
  const { workspaceId, itemId } = await params;
  const { actor, workspace } = await requirePageWorkspace(workspaceId);
  if (!z.uuid().safeParse(itemId).success) notFound();

  const db = await getDb();
  const view = await loadItemDetailView(db, { workspaceId: workspace.id, itemId });
  if (!view) notFound();
  const themes = (await listBacklogThemes(db, { workspaceId: workspace.id })).flatMap((row) =>
    row.theme ? [row.theme] : [],
  );

  return (
    <>
      <PageHeader title={`${view.item.ref} ${view.item.title}`} />
      <ItemDetail
        workspaceId={workspace.id}
        view={view}
        themes={themes}
        canEdit={hasCapability(actor.role, "editBacklog")}
        canRunAi={hasCapability(actor.role, "runAi")}
        simulatedBadge={<SimulatedBadge />}
      />
    </>
  );
}

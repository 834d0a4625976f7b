import { and, count, countDistinct, eq, isNull } from "drizzle-orm";
import type { Db } from "@/db/client";
import { backlogItem, backlogSettings, type DocumentKind, document, type Framework, itemInput } from "@/db/schema";

/** Counts shown on a workspace's section landing pages; every count excludes soft-deleted rows. */
export interface WorkspaceOverview {
  items: number;
  themes: number;
  /** AI proposals not yet accepted or rejected. */
  pendingProposals: number;
  framework: Framework;
  documents: Record<DocumentKind, number>;
}

export async function getWorkspaceOverview(db: Db, params: { workspaceId: string }): Promise<WorkspaceOverview> {
  const { workspaceId } = params;

  const [items] = await db
    .select({ items: count(), themes: countDistinct(backlogItem.theme) })
    .from(backlogItem)
    .where(and(eq(backlogItem.workspaceId, workspaceId), isNull(backlogItem.deletedAt)));

  const [proposals] = await db
    .select({ value: count() })
    .from(itemInput)
    .innerJoin(backlogItem, eq(backlogItem.id, itemInput.itemId))
    .where(
      and(
        eq(itemInput.workspaceId, workspaceId),
        eq(itemInput.source, "ai"),
        eq(itemInput.status, "proposed"),
        isNull(backlogItem.deletedAt),
      ),
    );

  const [settings] = await db
    .select({ framework: backlogSettings.framework })
    .from(backlogSettings)
    .where(eq(backlogSettings.workspaceId, workspaceId));

  const documentRows = await db
    .select({ kind: document.kind, value: count() })
    .from(document)
    .where(and(eq(document.workspaceId, workspaceId), isNull(document.deletedAt)))
    .groupBy(document.kind);
  const documents: Record<DocumentKind, number> = { note: 0, feedback: 0, file: 0 };
  for (const row of documentRows) documents[row.kind] = row.value;

  return {
    items: items?.items ?? 0,
    themes: items?.themes ?? 0,
    pendingProposals: proposals?.value ?? 0,
    // The column default, for a workspace whose settings row does not exist yet.
    framework: settings?.framework ?? "rice",
    documents,
  };
}

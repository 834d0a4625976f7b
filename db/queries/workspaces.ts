import { and, asc, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { membership, type Workspace, workspace } from "@/db/schema";

export async function listWorkspacesForUser(db: Db, params: { userId: string; all?: boolean }): Promise<Workspace[]> {
  if (params.all) return db.select().from(workspace).orderBy(asc(workspace.name));

  return db
    .select({ id: workspace.id, name: workspace.name, createdAt: workspace.createdAt })
    .from(workspace)
    .innerJoin(membership, eq(membership.workspaceId, workspace.id))
    .where(eq(membership.userId, params.userId))
    .orderBy(asc(workspace.name));
}

/** The workspace if the user is a member of it (or `all` is set, for admins); otherwise undefined. */
export async function getWorkspaceForUser(
  db: Db,
  params: { workspaceId: string; userId: string; all?: boolean },
): Promise<Workspace | undefined> {
  if (params.all) {
    const [row] = await db.select().from(workspace).where(eq(workspace.id, params.workspaceId));
    return row;
  }
  const [row] = await db
    .select({ id: workspace.id, name: workspace.name, createdAt: workspace.createdAt })
    .from(workspace)
    .innerJoin(membership, eq(membership.workspaceId, workspace.id))
    .where(and(eq(workspace.id, params.workspaceId), eq(membership.userId, params.userId)));
  return row;
}

export async function insertWorkspace(db: Db, params: { name: string }): Promise<Workspace> {
  const [row] = await db.insert(workspace).values({ name: params.name }).returning();
  if (!row) throw new Error("insert into workspace returned no row");
  return row;
}

export async function addMember(db: Db, params: { workspaceId: string; userId: string }): Promise<void> {
  await db.insert(membership).values(params).onConflictDoNothing();
}

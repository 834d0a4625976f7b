import type { Db } from "@/db/client";
import { insertUser } from "@/db/queries/users";
import { addMember, insertWorkspace } from "@/db/queries/workspaces";
import type { UserRole } from "@/db/schema";

let counter = 0;

/** A new workspace with one member; the password hash is a placeholder because these tests never sign in. */
export async function createWorkspaceWithMember(db: Db, role: UserRole = "member") {
  counter += 1;
  const workspace = await insertWorkspace(db, { name: `Workspace ${counter}` });
  const user = await insertUser(db, {
    email: `user${counter}-${Date.now()}@example.test`,
    name: `User ${counter}`,
    passwordHash: "not-a-real-hash",
    role,
  });
  await addMember(db, { workspaceId: workspace.id, userId: user.id });
  return { workspaceId: workspace.id, userId: user.id, user };
}

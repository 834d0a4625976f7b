import { asc, count, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { membership, type UserRole, user } from "@/db/schema";

export interface UserSummary {
  id: string;
  name: string;
  email: string;
  role: UserRole;
  disabledAt: Date | null;
  /** Workspaces the user is a member of. */
  workspaces: number;
}

/** List every account by email for the admin page, without password hashes. */
export async function listUserSummaries(db: Db): Promise<UserSummary[]> {
  return db
    .select({
      id: user.id,
      name: user.name,
      email: user.email,
      role: user.role,
      disabledAt: user.disabledAt,
      workspaces: count(membership.workspaceId),
    })
    .from(user)
    .leftJoin(membership, eq(membership.userId, user.id))
    .groupBy(user.id)
    .orderBy(asc(user.email));
}

import { countUsers, insertUser } from "@/db/queries/users";
import { addMember, insertWorkspace } from "@/db/queries/workspaces";
import type { Db } from "@/db/client";
import type { UserRole } from "@/db/schema";
import { hashPassword } from "@/lib/auth/password";
import { seedDemoContent } from "./demo-content";

export interface DemoAccount {
  email: string;
  /** Public demo password, printed in the README and the start-up log; demo data only. */
  password: string;
  name: string;
  role: UserRole;
  /** `main` is the demo workspace; `outsider` a second, small one used to check isolation. */
  workspace: "main" | "outsider";
}

export const DEMO_WORKSPACE_NAME = "Demo workspace";
export const OUTSIDER_WORKSPACE_NAME = "Outsider workspace";
/** Backlog items seeded in the outsider's workspace. */
const OUTSIDER_ITEM_COUNT = 3;

export const demoAccounts: readonly DemoAccount[] = [
  { email: "admin@rankwise.test", password: "rankwise-admin", name: "Ada Admin", role: "admin", workspace: "main" },
  { email: "editor@rankwise.test", password: "rankwise-editor", name: "Eli Editor", role: "editor", workspace: "main" },
  { email: "pm@rankwise.test", password: "rankwise-pm", name: "Pat PM", role: "member", workspace: "main" },
  { email: "viewer@rankwise.test", password: "rankwise-viewer", name: "Vic Viewer", role: "viewer", workspace: "main" },
  {
    email: "outsider@rankwise.test",
    password: "rankwise-outsider",
    name: "Olive Outsider",
    role: "member",
    workspace: "outsider",
  },
];

export interface DemoSeedResult {
  workspaceId: string;
  outsiderWorkspaceId: string;
  accounts: readonly DemoAccount[];
}

/**
 * Seed the demo on an empty database: one user per role, the demo workspace with its backlog
 * and feedback, and an outsider in a second workspace. Does nothing and returns null when any
 * user exists, so it never touches real data. All rows are written in one transaction.
 */
export async function seedDemo(db: Db): Promise<DemoSeedResult | null> {
  if ((await countUsers(db)) > 0) return null;

  // Hash outside the transaction: scrypt takes tens of milliseconds per password.
  const hashed = await Promise.all(
    demoAccounts.map(async (account) => ({ account, passwordHash: await hashPassword(account.password) })),
  );

  return db.transaction(async (tx) => {
    if ((await countUsers(tx)) > 0) return null;

    const main = await insertWorkspace(tx, { name: DEMO_WORKSPACE_NAME });
    const outsider = await insertWorkspace(tx, { name: OUTSIDER_WORKSPACE_NAME });
    let pmId: string | undefined;
    let outsiderId: string | undefined;
    for (const { account, passwordHash } of hashed) {
      const created = await insertUser(tx, { email: account.email, name: account.name, role: account.role, passwordHash });
      await addMember(tx, { workspaceId: account.workspace === "main" ? main.id : outsider.id, userId: created.id });
      if (account.workspace === "outsider") outsiderId = created.id;
      else if (account.role === "member") pmId = created.id;
    }
    if (!pmId || !outsiderId) throw new Error("demo accounts must include a member in each workspace");

    await seedDemoContent(tx, { workspaceId: main.id, userId: pmId });
    await seedDemoContent(tx, { workspaceId: outsider.id, userId: outsiderId, limit: OUTSIDER_ITEM_COUNT });

    return { workspaceId: main.id, outsiderWorkspaceId: outsider.id, accounts: demoAccounts };
  });
}

/** Format the demo sign-ins on one line, such as `pm@rankwise.test / rankwise-pm (member)`, for logs. */
export function describeDemoAccounts(accounts: readonly DemoAccount[] = demoAccounts): string {
  return accounts.map((account) => `${account.email} / ${account.password} (${account.role})`).join(", ");
}

import type { UserRole } from "@/db/schema";

/** Roles from least to most powerful; each role may do everything the roles before it may. */
const roleRank: Record<UserRole, number> = { viewer: 0, member: 1, editor: 2, admin: 3 };

/** What each capability needs at least. */
export const capabilities = {
  read: "viewer",
  editBacklog: "member",
  runAi: "member",
  /** Read access to the prompt admin: prompts, their versions and drafts, test cases and test runs. */
  readPrompts: "editor",
  editPrompts: "editor",
  manageUsers: "admin",
  manageModels: "admin",
  readAllRuns: "admin",
} as const satisfies Record<string, UserRole>;

export type Capability = keyof typeof capabilities;

export function hasCapability(role: UserRole, capability: Capability): boolean {
  return roleRank[role] >= roleRank[capabilities[capability]];
}

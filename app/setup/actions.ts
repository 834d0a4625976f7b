"use server";

import { z } from "zod";
import { getDb } from "@/db";
import { countUsers } from "@/db/queries/users";
import { addMember, insertWorkspace } from "@/db/queries/workspaces";
import { registerUser } from "@/lib/auth/sign-in";
import { AppError } from "@/lib/errors";
import { type ActionResult, runAction } from "@/lib/http/action-result";
import { logger } from "@/lib/logger";

const firstAdminSchema = z.object({
  name: z.string().trim().min(1).max(200),
  email: z.email().max(320),
  password: z.string().min(8).max(1024),
  workspaceName: z.string().trim().min(1).max(200),
});
export type FirstAdminInput = z.infer<typeof firstAdminSchema>;

/**
 * Create the first account (an admin) and its first workspace. Only allowed while the database
 * has no user, because this page is reachable without signing in.
 */
export async function createFirstAdmin(input: FirstAdminInput): Promise<ActionResult> {
  return runAction("setup.createFirstAdmin", async () => {
    const parsed = firstAdminSchema.parse(input);

    const db = await getDb();
    if ((await countUsers(db)) > 0) {
      throw new AppError(409, "setup_done", "Rankwise is already set up. Sign in instead.");
    }

    // NOTE: two setups submitted at the same instant would both pass the check above. The second
    // account then becomes a plain member, because registerUser makes only the very first one admin.
    const admin = await registerUser({ email: parsed.email, name: parsed.name, password: parsed.password });
    const created = await insertWorkspace(db, { name: parsed.workspaceName });
    await addMember(db, { workspaceId: created.id, userId: admin.id });
    logger.info({ userId: admin.id, workspaceId: created.id }, "first admin account created");
    return null;
  });
}

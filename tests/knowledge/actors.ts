import type { DatabaseHandle } from "@/db/client";
import { insertUser } from "@/db/queries/users";
import { addMember } from "@/db/queries/workspaces";
import { apiToken, type UserRole } from "@/db/schema";
import { generateApiToken } from "@/lib/auth/tokens";

let counter = 0;

/** A member of the workspace with a personal access token, so route tests authenticate as a client would. */
export async function createTokenUser(handle: DatabaseHandle, params: { workspaceId: string; role?: UserRole }) {
  counter += 1;
  const user = await insertUser(handle.db, {
    email: `route${counter}-${Date.now()}@example.test`,
    name: `Route User ${counter}`,
    passwordHash: "not-a-real-hash",
    role: params.role ?? "member",
  });
  await addMember(handle.db, { workspaceId: params.workspaceId, userId: user.id });
  const { token, tokenHash, prefix } = generateApiToken();
  await handle.db.insert(apiToken).values({ userId: user.id, name: "tests", tokenHash, prefix });
  return { userId: user.id, headers: { authorization: `Bearer ${token}` } };
}

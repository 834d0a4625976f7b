import { z } from "zod";
import type { Db } from "@/db/client";
import { type ApiTokenSummary, insertApiToken, listApiTokens, revokeApiToken } from "@/db/queries/api";
import { insertAuditEntries } from "@/db/queries/backlog";
import type { Actor } from "@/lib/auth/actor";
import { generateApiToken } from "@/lib/auth/tokens";
import { forbidden, notFound } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { strictObjectWithFieldList } from "@/lib/validation";

/** Body of a token create. An unknown key, such as `expiresAt`, is a 400 because tokens do not expire. */
export const createTokenSchema = strictObjectWithFieldList({
  name: z.string().trim().min(1, "is required").max(100, "must be at most 100 characters"),
});
export type CreateToken = z.infer<typeof createTokenSchema>;

/** Tokens are managed from a signed-in session only, so a leaked token cannot mint or revoke others. */
export function requireSessionActor(actor: Actor): void {
  if (actor.via !== "session") {
    throw forbidden("Manage access tokens from a signed-in session in the app, not with a token.");
  }
}

/** Create a token; the plain token is in the result only, because only its hash is stored. */
export async function createApiTokenForUser(
  db: Db,
  params: { userId: string; name: string },
): Promise<ApiTokenSummary & { token: string }> {
  const { token, tokenHash, prefix } = generateApiToken();
  const summary = await db.transaction(async (tx) => {
    const row = await insertApiToken(tx, { userId: params.userId, name: params.name, tokenHash, prefix });
    await insertAuditEntries(tx, [
      { workspaceId: null, actorId: params.userId, action: "token.create", entityType: "api_token", entityId: row.id },
    ]);
    return row;
  });
  logger.info({ userId: params.userId, tokenId: summary.id }, "API token created");
  return { ...summary, token };
}

export async function listApiTokensForUser(db: Db, params: { userId: string }): Promise<ApiTokenSummary[]> {
  return listApiTokens(db, params);
}

/** Revoke one of the user's active tokens; another user's token, or a revoked one, is a 404. */
export async function revokeApiTokenForUser(
  db: Db,
  params: { userId: string; tokenId: string },
): Promise<ApiTokenSummary> {
  if (!z.uuid().safeParse(params.tokenId).success) throw notFound("token");
  const revoked = await db.transaction(async (tx) => {
    const row = await revokeApiToken(tx, params);
    if (!row) throw notFound("token");
    await insertAuditEntries(tx, [
      { workspaceId: null, actorId: params.userId, action: "token.revoke", entityType: "api_token", entityId: row.id },
    ]);
    return row;
  });
  logger.info({ userId: params.userId, tokenId: revoked.id }, "API token revoked");
  return revoked;
}

import { eq, lt } from "drizzle-orm";
import type { Db } from "@/db/client";
import { revokedSession } from "@/db/schema";

/**
 * Record a session id as revoked until `expiresAt`, and delete the rows that have expired (an
 * index range scan, since sign-outs are rare and each one cleans up after the others). Revoking
 * an id twice keeps the first row.
 */
export async function insertRevokedSession(
  db: Db,
  params: { sessionId: string; userId: string | null; expiresAt: Date },
): Promise<void> {
  await db.delete(revokedSession).where(lt(revokedSession.expiresAt, new Date()));
  await db
    .insert(revokedSession)
    .values({ id: params.sessionId, userId: params.userId, expiresAt: params.expiresAt })
    .onConflictDoNothing({ target: revokedSession.id });
}

/** Read the revocation of this session id. Returns undefined when the session was never signed out. */
export async function getRevokedSession(
  db: Db,
  params: { sessionId: string },
): Promise<{ expiresAt: Date } | undefined> {
  const [row] = await db
    .select({ expiresAt: revokedSession.expiresAt })
    .from(revokedSession)
    .where(eq(revokedSession.id, params.sessionId));
  return row;
}

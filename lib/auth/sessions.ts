import { randomUUID } from "node:crypto";
import type { JWT } from "next-auth/jwt";
import { z } from "zod";
import { getDb } from "@/db";
import { getRevokedSession, insertRevokedSession } from "@/db/queries/sessions";
import { logger } from "@/lib/logger";

/** Lifetime of a session JWT in seconds. next-auth issues a new token with this lifetime on each refresh. */
export const SESSION_MAX_AGE_SECONDS = 60 * 60 * 24 * 7;

/**
 * Time added to a revocation's expiry, in seconds: next-auth 4 accepts a JWT up to 15 s after its
 * `exp`, and the clocks of the instances that issued the token and recorded its revocation may differ.
 */
const CLOCK_MARGIN_SECONDS = 5 * 60;

/** Number of revoked session ids this process remembers, so replays of a revoked cookie skip the database. */
const REVOKED_CACHE_SIZE = 10_000;

const uuidSchema = z.uuid();

/**
 * Revoked session ids with the time (ms since epoch) after which no token carries them. Only
 * revocations are cached: a revocation never ends early, so an entry stays true on every
 * instance, while a "not revoked" result could be outdated by a sign-out on another instance.
 */
const revokedCache = new Map<string, number>();

function rememberRevoked(sessionId: string, expiresAtMs: number): void {
  if (revokedCache.size >= REVOKED_CACHE_SIZE) {
    // Maps iterate in insertion order, so this drops the oldest entry.
    const oldest = revokedCache.keys().next().value;
    if (oldest !== undefined) revokedCache.delete(oldest);
  }
  revokedCache.set(sessionId, expiresAtMs);
}

/** Create the random id that a new session carries in its `sid` claim. */
export function createSessionId(): string {
  return randomUUID();
}

/**
 * Check whether this session id was signed out, in the cache first, else with one primary-key
 * lookup. An id that is not a UUID counts as revoked.
 */
export async function isSessionRevoked(sessionId: string): Promise<boolean> {
  // This app issues only UUIDs, and the column type rejects anything else with a query error.
  if (!uuidSchema.safeParse(sessionId).success) return true;

  const cachedUntil = revokedCache.get(sessionId);
  if (cachedUntil !== undefined) {
    if (cachedUntil > Date.now()) return true;
    revokedCache.delete(sessionId);
  }

  const row = await getRevokedSession(await getDb(), { sessionId });
  if (!row) return false;
  rememberRevoked(sessionId, row.expiresAt.getTime());
  return true;
}

/**
 * Check a decoded session token and return it, or an empty token when it no longer signs anyone
 * in: its session was revoked, or it has no valid `sid`. Tokens issued before sessions had ids
 * have none, so their users sign in again.
 */
export async function checkSessionToken(token: JWT): Promise<JWT> {
  const sessionId = uuidSchema.safeParse(token.sid);
  if (!sessionId.success) {
    logger.warn({ userId: token.sub }, "session rejected: the token has no session id");
    return {};
  }
  if (await isSessionRevoked(sessionId.data)) {
    logger.warn({ userId: token.sub }, "session rejected: signed out");
    return {};
  }
  return token;
}

/**
 * Record the session of this token as revoked, so copies of its cookie stop working on every
 * instance. The row outlives every token with this id: tokens refreshed before now expire within
 * the session max age, and a revoked session is never refreshed (see `checkSessionToken`).
 */
export async function revokeSession(token: JWT | null): Promise<void> {
  const sessionId = uuidSchema.safeParse(token?.sid);
  if (!sessionId.success) return;
  const userId = uuidSchema.safeParse(token?.sub);
  const expiresAt = new Date(Date.now() + (SESSION_MAX_AGE_SECONDS + CLOCK_MARGIN_SECONDS) * 1000);

  // Remembered first, so this instance rejects copies of the cookie even if the insert fails.
  rememberRevoked(sessionId.data, expiresAt.getTime());
  await insertRevokedSession(await getDb(), {
    sessionId: sessionId.data,
    userId: userId.success ? userId.data : null,
    expiresAt,
  });
  logger.info({ userId: token?.sub }, "session revoked at sign-out");
}

import { getDb } from "@/db";
import { countApiRequest, touchApiToken } from "@/db/queries/api";
import type { Actor } from "@/lib/auth/actor";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/logger";

const WINDOW_SECONDS = 60;

/**
 * Count a token request against API_RATE_LIMIT_PER_MINUTE and throw a 429 past it; the route
 * wrapper turns `retryAfterSeconds` into a Retry-After header. Session requests (the app's own
 * pages) are not limited. The token's `lastUsedAt` is updated once per window, to keep it cheap.
 */
export async function limitApiRate(actor: Actor): Promise<void> {
  if (actor.via !== "token" || !actor.tokenId) return;

  const db = await getDb();
  const { requestCount, secondsLeft } = await countApiRequest(db, {
    tokenId: actor.tokenId,
    windowSeconds: WINDOW_SECONDS,
  });
  if (requestCount === 1) await touchApiToken(db, { tokenId: actor.tokenId });

  const limit = getEnv().API_RATE_LIMIT_PER_MINUTE;
  if (requestCount <= limit) return;
  const retryAfterSeconds = Math.max(1, Math.ceil(secondsLeft));
  if (requestCount === limit + 1)
    logger.warn({ tokenId: actor.tokenId, userId: actor.userId, limit }, "API rate limit reached");
  throw new AppError(429, "rate_limited", formatRateLimitMessage(limit, retryAfterSeconds), { retryAfterSeconds });
}

/** Build the English message of a 429. Clients localize their own text from `details.retryAfterSeconds`. */
export function formatRateLimitMessage(limit: number, retryAfterSeconds: number): string {
  const wait = retryAfterSeconds === 1 ? "1 second" : `${retryAfterSeconds} seconds`;
  return `Too many requests: the limit is ${limit} per minute for each token. Retry in ${wait}.`;
}

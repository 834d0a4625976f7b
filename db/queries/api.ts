import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { type Db, executeRows } from "@/db/client";
import { type ApiToken, apiToken } from "@/db/schema";

/** Token fields that are safe to return: never the hash. */
export type ApiTokenSummary = Pick<ApiToken, "id" | "name" | "prefix" | "createdAt" | "lastUsedAt" | "revokedAt">;

const summaryColumns = {
  id: apiToken.id,
  name: apiToken.name,
  prefix: apiToken.prefix,
  createdAt: apiToken.createdAt,
  lastUsedAt: apiToken.lastUsedAt,
  revokedAt: apiToken.revokedAt,
};

export async function insertApiToken(
  db: Db,
  params: { userId: string; name: string; tokenHash: string; prefix: string },
): Promise<ApiTokenSummary> {
  const [row] = await db.insert(apiToken).values(params).returning(summaryColumns);
  if (!row) throw new Error("insert into api_token returned no row");
  return row;
}

/** List the user's tokens, revoked ones included, newest first. */
export async function listApiTokens(db: Db, params: { userId: string }): Promise<ApiTokenSummary[]> {
  return db
    .select(summaryColumns)
    .from(apiToken)
    .where(eq(apiToken.userId, params.userId))
    .orderBy(desc(apiToken.createdAt));
}

/** Revoke one of the user's active tokens; returns undefined when no such active token exists. */
export async function revokeApiToken(
  db: Db,
  params: { userId: string; tokenId: string },
): Promise<ApiTokenSummary | undefined> {
  const [row] = await db
    .update(apiToken)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(apiToken.id, params.tokenId), eq(apiToken.userId, params.userId), isNull(apiToken.revokedAt)))
    .returning(summaryColumns);
  return row;
}

export interface RateLimitCount {
  /** Requests in the current window, this one included. */
  requestCount: number;
  /** Seconds until the window ends. */
  secondsLeft: number;
}

/**
 * Count one request of a token in the current fixed window, with one upsert. The window start is
 * computed from the database clock, so every instance agrees on it.
 */
export async function countApiRequest(
  db: Db,
  params: { tokenId: string; windowSeconds: number },
): Promise<RateLimitCount> {
  const window = params.windowSeconds;
  const [row] = await executeRows<{ request_count: number; seconds_left: number | string }>(
    db,
    sql`
      insert into api_rate_limit (token_id, window_start, request_count)
      values (${params.tokenId}, to_timestamp(floor(extract(epoch from now()) / ${window}) * ${window}), 1)
      on conflict (token_id) do update set
        request_count = case
          when api_rate_limit.window_start = excluded.window_start then api_rate_limit.request_count + 1
          else 1
        end,
        window_start = excluded.window_start
      returning request_count,
        extract(epoch from (window_start + make_interval(secs => ${window}) - now())) as seconds_left`,
  );
  if (!row) throw new Error("upsert into api_rate_limit returned no row");
  return { requestCount: Number(row.request_count), secondsLeft: Number(row.seconds_left) };
}

export async function touchApiToken(db: Db, params: { tokenId: string }): Promise<void> {
  await db.update(apiToken).set({ lastUsedAt: sql`now()` }).where(eq(apiToken.id, params.tokenId));
}

import { integer, pgTable, timestamp, uuid } from "drizzle-orm/pg-core";
import { apiToken } from "./auth";

// ---------------------------------------------------------------------------------------------
// REST API request accounting
// ---------------------------------------------------------------------------------------------

/**
 * Fixed-window request counter, one row per token, shared by every instance through the
 * database. A request upserts the row: same window adds one, a newer window restarts at one.
 */
export const apiRateLimit = pgTable("api_rate_limit", {
  tokenId: uuid()
    .primaryKey()
    .references(() => apiToken.id, { onDelete: "cascade" }),
  windowStart: timestamp({ withTimezone: true }).notNull(),
  requestCount: integer().notNull(),
});
export type ApiRateLimit = typeof apiRateLimit.$inferSelect;

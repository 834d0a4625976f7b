import { sql } from "drizzle-orm";
import { index, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

// ---------------------------------------------------------------------------------------------
// Users, workspaces and access
// ---------------------------------------------------------------------------------------------

export const userRoles = ["admin", "editor", "member", "viewer"] as const;
export type UserRole = (typeof userRoles)[number];

export const user = pgTable(
  "user",
  {
    id: uuid().primaryKey().defaultRandom(),
    /** Stored lower-cased; sign-in compares lower-cased input. */
    email: text().notNull(),
    name: text().notNull(),
    /** scrypt hash in the form `scrypt$N$r$p$salt$hash` (see lib/auth/password.ts). */
    passwordHash: text().notNull(),
    /** Global role: admin | editor | member | viewer. */
    role: text().$type<UserRole>().notNull().default("member"),
    /** UI language chosen by the user: en | fr; null follows the browser's Accept-Language. */
    locale: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    disabledAt: timestamp({ withTimezone: true }),
  },
  (table) => [uniqueIndex("user_email_key").on(table.email)],
);
export type User = typeof user.$inferSelect;

export const workspace = pgTable("workspace", {
  id: uuid().primaryKey().defaultRandom(),
  name: text().notNull(),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});
export type Workspace = typeof workspace.$inferSelect;

export const membership = pgTable(
  "membership",
  {
    workspaceId: uuid()
      .notNull()
      .references(() => workspace.id, { onDelete: "cascade" }),
    userId: uuid()
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.workspaceId, table.userId] }),
    index("membership_user_idx").on(table.userId),
  ],
);
export type Membership = typeof membership.$inferSelect;

/** Personal access tokens for the REST API; only a SHA-256 hash of the token is stored. */
export const apiToken = pgTable(
  "api_token",
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    name: text().notNull(),
    tokenHash: text().notNull(),
    /** First characters of the token, shown in lists so a user can tell tokens apart. */
    prefix: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp({ withTimezone: true }),
    revokedAt: timestamp({ withTimezone: true }),
  },
  (table) => [uniqueIndex("api_token_hash_key").on(table.tokenHash), index("api_token_user_idx").on(table.userId)],
);
export type ApiToken = typeof apiToken.$inferSelect;

/** Failed sign-in attempts, counted per key (email and client address) within a sliding window. */
export const signInAttempt = pgTable(
  "sign_in_attempt",
  {
    id: uuid().primaryKey().defaultRandom(),
    key: text().notNull(),
    attemptedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index("sign_in_attempt_key_idx").on(table.key, table.attemptedAt)],
);

/**
 * Session ids (the `sid` claim of a session JWT) that were signed out. A row must outlive every
 * token carrying its id, so `expiresAt` is the sign-out time plus the session max age and a
 * margin (see lib/auth/sessions.ts). Rows past `expiresAt` are deleted when a new row is inserted.
 */
export const revokedSession = pgTable(
  "revoked_session",
  {
    id: uuid().primaryKey(),
    /** The session's user, without a foreign key so that a deleted user's session can still be revoked. */
    userId: uuid(),
    revokedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
  },
  (table) => [index("revoked_session_expires_idx").on(table.expiresAt)],
);
export type RevokedSession = typeof revokedSession.$inferSelect;

/** Who did what, with the state before and after; written in the same transaction as the change. */
export const auditLog = pgTable(
  "audit_log",
  {
    id: uuid().primaryKey().defaultRandom(),
    workspaceId: uuid().references(() => workspace.id, { onDelete: "cascade" }),
    actorId: uuid().references(() => user.id, { onDelete: "set null" }),
    /** Dotted verb, for example `prompt.publish` or `item.update`. */
    action: text().notNull(),
    entityType: text().notNull(),
    entityId: text().notNull(),
    before: jsonb(),
    after: jsonb(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index("audit_log_entity_idx").on(table.entityType, table.entityId),
    index("audit_log_created_idx").on(sql`${table.createdAt} desc`),
  ],
);
export type AuditLog = typeof auditLog.$inferSelect;

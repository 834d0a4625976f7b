import { sql } from "drizzle-orm";
import {
  bigint,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import type { Framework, InputName } from "@/lib/prioritization/scales";
import { user, workspace } from "./auth";

export type { Framework, InputName } from "@/lib/prioritization/scales";

// ---------------------------------------------------------------------------------------------
// Backlog items, their framework inputs with provenance, and per-workspace backlog settings
// ---------------------------------------------------------------------------------------------

export const itemStatuses = ["idea", "planned", "in_progress", "done", "dropped"] as const;
export type ItemStatus = (typeof itemStatuses)[number];

export const inputSources = ["pm", "ai", "import"] as const;
export type InputSource = (typeof inputSources)[number];

export const inputStatuses = ["active", "proposed", "accepted", "rejected"] as const;
export type InputStatus = (typeof inputStatuses)[number];

export const iceModes = ["product", "mean"] as const;
export type IceMode = (typeof iceModes)[number];

export const backlogItem = pgTable(
  "backlog_item",
  {
    id: uuid().primaryKey().defaultRandom(),
    workspaceId: uuid()
      .notNull()
      .references(() => workspace.id, { onDelete: "cascade" }),
    /** Per-workspace sequence shown as `#12`; allocated from `backlogSettings.nextItemNumber`. */
    number: integer().notNull(),
    /** Id from an import, such as `A01`; unique among the workspace's live items. */
    externalId: text(),
    title: text().notNull(),
    description: text().notNull().default(""),
    /** Free text chosen by the PM; null when the item has no theme. */
    theme: text(),
    /** idea | planned | in_progress | done | dropped */
    status: text().$type<ItemStatus>().notNull().default("idea"),
    /** http(s) URLs: issue threads, specs, designs. */
    links: jsonb().$type<string[]>().notNull().default([]),
    /** Incremented by every edit of the item's own fields; an edit sent with an older version is a conflict. */
    version: integer().notNull().default(1),
    createdById: uuid().references(() => user.id, { onDelete: "set null" }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** Soft delete: set by delete, cleared by undo. */
    deletedAt: timestamp({ withTimezone: true }),
  },
  (table) => [
    uniqueIndex("backlog_item_number_key").on(table.workspaceId, table.number),
    uniqueIndex("backlog_item_external_id_key")
      .on(table.workspaceId, table.externalId)
      .where(sql`${table.externalId} is not null and ${table.deletedAt} is null`),
    index("backlog_item_workspace_idx").on(table.workspaceId, table.deletedAt),
  ],
);
export type BacklogItem = typeof backlogItem.$inferSelect;

/**
 * When items were deleted and restored, so a ranking "as of" a past time leaves out exactly the
 * items deleted then. A deletion opens a row; the restore closes it.
 */
export const backlogItemDeletion = pgTable(
  "backlog_item_deletion",
  {
    id: uuid().primaryKey().defaultRandom(),
    workspaceId: uuid()
      .notNull()
      .references(() => workspace.id, { onDelete: "cascade" }),
    itemId: uuid()
      .notNull()
      .references(() => backlogItem.id, { onDelete: "cascade" }),
    deletedAt: timestamp({ withTimezone: true }).notNull(),
    /** Null while the item is deleted. */
    restoredAt: timestamp({ withTimezone: true }),
  },
  (table) => [index("backlog_item_deletion_item_idx").on(table.itemId, table.deletedAt)],
);

/**
 * Framework input values, one row per value ever given. Rows are never deleted and their value
 * never changes; only an AI proposal's review fields change, once, from `proposed` to `accepted`
 * or `rejected`. The effective value is the latest PM value if it is not null, else the latest
 * accepted AI proposal, else the latest import (lib/prioritization/effective.ts).
 */
export const itemInput = pgTable(
  "item_input",
  {
    id: uuid().primaryKey().defaultRandom(),
    workspaceId: uuid()
      .notNull()
      .references(() => workspace.id, { onDelete: "cascade" }),
    itemId: uuid()
      .notNull()
      .references(() => backlogItem.id, { onDelete: "cascade" }),
    /** An input name from lib/prioritization/scales.ts, such as `reach` or `job_size`. */
    input: text().$type<InputName>().notNull(),
    /** pm | ai | import */
    source: text().$type<InputSource>().notNull(),
    /** Null from a PM clears their value; null from the model means insufficient evidence. */
    value: doublePrecision(),
    /** active (pm and import rows) | proposed | accepted | rejected (ai rows) */
    status: text().$type<InputStatus>().notNull(),
    /** The PM's reason, or the model's rationale. */
    rationale: text(),
    /** Ids of the documents cited, such as `AF012`. */
    evidenceIds: jsonb().$type<string[]>().notNull().default([]),
    authorId: uuid().references(() => user.id, { onDelete: "set null" }),
    /** Pipeline run and batch that proposed the value; no foreign key, runs live in another domain. */
    runId: uuid(),
    batchId: uuid(),
    reviewedById: uuid().references(() => user.id, { onDelete: "set null" }),
    reviewedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index("item_input_item_idx").on(table.itemId, table.input, table.createdAt),
    index("item_input_workspace_idx").on(table.workspaceId, table.itemId),
    index("item_input_run_idx").on(table.runId, table.batchId),
    // Counts of proposals that wait for review, read with every backlog page and ranking.
    index("item_input_pending_idx")
      .on(table.workspaceId, table.itemId)
      .where(sql`${table.source} = 'ai' and ${table.status} = 'proposed' and ${table.value} is not null`),
  ],
);
export type ItemInput = typeof itemInput.$inferSelect;

export const backlogSettings = pgTable("backlog_settings", {
  workspaceId: uuid()
    .primaryKey()
    .references(() => workspace.id, { onDelete: "cascade" }),
  /** rice | ice | wsjf: the framework the backlog is ranked by. */
  framework: text().$type<Framework>().notNull().default("rice"),
  /** product | mean: how ICE combines its three inputs. */
  iceMode: text().$type<IceMode>().notNull().default("product"),
  /** Next `backlogItem.number`; incremented under the row lock, so concurrent creates never collide. */
  nextItemNumber: integer().notNull().default(1),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});
export type BacklogSettings = typeof backlogSettings.$inferSelect;

/**
 * Revision of a workspace's ranking: moved once by every committed transaction that changes its
 * items, its effective inputs or its ranking settings (database triggers, see the migration
 * `0001_ranking_revision`), so a process can keep a computed ranking until the revision moves.
 * A proposal waiting for review changes no score, so it does not move the revision. No foreign
 * key: the triggers run at commit, also when the workspace itself is being deleted.
 */
export const rankingRevision = pgTable("ranking_revision", {
  workspaceId: uuid().primaryKey(),
  revision: bigint({ mode: "number" }).notNull().default(0),
});

import { sql } from "drizzle-orm";
import { index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { user, workspace } from "./auth";
import { backlogItem } from "./backlog";

// ---------------------------------------------------------------------------------------------
// Workspace documents: notes, customer feedback and uploaded files, cited as evidence
// ---------------------------------------------------------------------------------------------

export const documentKinds = ["note", "feedback", "file"] as const;
export type DocumentKind = (typeof documentKinds)[number];

export const document = pgTable(
  "document",
  {
    id: uuid().primaryKey().defaultRandom(),
    workspaceId: uuid()
      .notNull()
      .references(() => workspace.id, { onDelete: "cascade" }),
    /** Id from the source, such as `AF012`; prompts and citations use it. Unique per workspace. */
    externalId: text(),
    /** note | feedback | file */
    kind: text().$type<DocumentKind>().notNull(),
    title: text().notNull(),
    content: text().notNull(),
    sourceUrl: text(),
    /** BCP 47 language tag of the content, such as `en` or `fr`; null when unknown. */
    language: text(),
    /** The backlog item the document supports, when known. */
    itemId: uuid().references(() => backlogItem.id, { onDelete: "set null" }),
    /** Free-form facts about the source, such as a file's media type and size in bytes. */
    metadata: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    createdById: uuid().references(() => user.id, { onDelete: "set null" }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    deletedAt: timestamp({ withTimezone: true }),
  },
  (table) => [
    uniqueIndex("document_external_id_key")
      .on(table.workspaceId, table.externalId)
      .where(sql`${table.externalId} is not null`),
    index("document_workspace_idx").on(table.workspaceId, table.kind),
    index("document_item_idx").on(table.itemId),
  ],
);
export type Document = typeof document.$inferSelect;

import {
  index,
  integer,
  json,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import type { ModelRole, PromptVariable } from "@/lib/prompts/manifest";
import type { ParameterSettings } from "@/lib/prompts/parameters";
import type { OutputSchemaName } from "@/lib/tasks/schemas";
import { user } from "./auth";

// ---------------------------------------------------------------------------------------------
// Prompts: one row per key, immutable versions per language, a publication pointer per language,
// and one shared draft per language. Prompts are global, not per workspace.
// ---------------------------------------------------------------------------------------------

export const prompt = pgTable("prompt", {
  /** Stable name the code renders by, for example `prioritizer`; also the file name under prompts/. */
  key: text().primaryKey(),
  description: text().notNull(),
  /**
   * Declared variables in manifest order: `[{ name, description, sample }]`; every language uses
   * exactly these. `json`, not `jsonb`, because jsonb reorders object keys inside sample values.
   */
  variables: json().$type<PromptVariable[]>().notNull(),
  /** prioritization_proposals | feedback_summary | item_suggestions; null when the model output is free text. */
  outputSchema: text().$type<OutputSchemaName>(),
  /** Model role: fast | smart. */
  modelRole: text().$type<ModelRole>().notNull(),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});
export type Prompt = typeof prompt.$inferSelect;

/** Immutable: a change is a new row with the next version number. */
export const promptVersion = pgTable(
  "prompt_version",
  {
    id: uuid().primaryKey().defaultRandom(),
    promptKey: text()
      .notNull()
      .references(() => prompt.key, { onDelete: "cascade" }),
    /** Lower-case BCP 47 tag: en, fr, pt-br… */
    language: text().notNull(),
    /** 1, 2, 3… per prompt and language. */
    versionNumber: integer().notNull(),
    systemText: text().notNull(),
    userTemplate: text().notNull(),
    /** `{ preset: creative | analytical | classification, overrides, maxOutputTokens? }`. */
    parameters: jsonb().$type<ParameterSettings>().notNull(),
    /** SHA-256 (hex) of the system text, user template and normalized parameters. */
    contentHash: text().notNull(),
    /** Null for versions imported from files. */
    authorId: uuid().references(() => user.id, { onDelete: "set null" }),
    note: text().notNull().default(""),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex("prompt_version_number_key").on(table.promptKey, table.language, table.versionNumber),
    index("prompt_version_hash_idx").on(table.promptKey, table.language, table.contentHash),
  ],
);
export type PromptVersion = typeof promptVersion.$inferSelect;

/** The live version of each prompt and language; publishing or rolling back moves this pointer. */
export const promptPublication = pgTable(
  "prompt_publication",
  {
    promptKey: text()
      .notNull()
      .references(() => prompt.key, { onDelete: "cascade" }),
    language: text().notNull(),
    versionId: uuid()
      .notNull()
      .references(() => promptVersion.id, { onDelete: "restrict" }),
    publishedBy: uuid().references(() => user.id, { onDelete: "set null" }),
    publishedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.promptKey, table.language] })],
);
export type PromptPublication = typeof promptPublication.$inferSelect;

/** Work in progress saved without minting a version; one per prompt and language, shared by editors. */
export const promptDraft = pgTable(
  "prompt_draft",
  {
    promptKey: text()
      .notNull()
      .references(() => prompt.key, { onDelete: "cascade" }),
    language: text().notNull(),
    systemText: text().notNull(),
    userTemplate: text().notNull(),
    parameters: jsonb().$type<ParameterSettings>().notNull(),
    /** Version the draft was started from; null for a language without versions. */
    baseVersionId: uuid().references(() => promptVersion.id, { onDelete: "set null" }),
    /** 1 on creation, incremented by each save; saves state the revision they started from. */
    revision: integer().notNull(),
    updatedBy: uuid().references(() => user.id, { onDelete: "set null" }),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.promptKey, table.language] })],
);
export type PromptDraft = typeof promptDraft.$inferSelect;

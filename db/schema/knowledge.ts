import { sql } from "drizzle-orm";
import {
  bigint,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  real,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { user, workspace } from "./auth";
import { document } from "./documents";

// ---------------------------------------------------------------------------------------------
// Knowledge base: document chunks with their embeddings, and the jobs that compute them.
// On a database with pgvector, `db/vector.ts` adds `knowledge_chunk.embedding_vector` (type
// `vector`) and its HNSW indexes; drizzle does not declare them because plain Postgres lacks the type.
// ---------------------------------------------------------------------------------------------

export const knowledgeChunk = pgTable(
  "knowledge_chunk",
  {
    id: uuid().primaryKey().defaultRandom(),
    workspaceId: uuid()
      .notNull()
      .references(() => workspace.id, { onDelete: "cascade" }),
    documentId: uuid()
      .notNull()
      .references(() => document.id, { onDelete: "cascade" }),
    /** 0-based order of the chunk in its document. */
    position: integer().notNull(),
    /** The chunk's text; for CSV documents the header row comes first, then the rows. */
    text: text().notNull(),
    /** Tokens of `text` in the cl100k_base encoding (the OpenAI embedding models' tokenizer). */
    tokenCount: integer().notNull(),
    /** UTF-16 offsets of the chunk in `document.content`, end exclusive, for highlighting it there. */
    startOffset: integer().notNull(),
    endOffset: integer().notNull(),
    /** The nearest markdown heading above the chunk; null when there is none. */
    heading: text(),
    /** L2-normalised embedding; null until the embedding job reaches the chunk. */
    embedding: real().array(),
    /** Model that computed `embedding`; a chunk whose model differs from the configured one is re-embedded. */
    embeddingModel: text(),
    embeddingDimensions: integer(),
    embeddedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex("knowledge_chunk_position_key").on(table.documentId, table.position),
    index("knowledge_chunk_workspace_model_idx").on(table.workspaceId, table.embeddingModel),
  ],
);
export type KnowledgeChunk = typeof knowledgeChunk.$inferSelect;

/**
 * Which version of each document the chunks were cut from. A document whose content hash differs
 * (or that has no row) is chunked again by the indexer, whoever inserted or edited it.
 */
export const knowledgeSource = pgTable("knowledge_source", {
  documentId: uuid()
    .primaryKey()
    .references(() => document.id, { onDelete: "cascade" }),
  workspaceId: uuid()
    .notNull()
    .references(() => workspace.id, { onDelete: "cascade" }),
  /** md5 of `document.content` as Postgres computes it, so the indexer can compare in SQL. */
  contentHash: text().notNull(),
  chunkCount: integer().notNull(),
  chunkedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});
export type KnowledgeSource = typeof knowledgeSource.$inferSelect;

export const knowledgeJobStatuses = ["queued", "running", "completed", "failed"] as const;
export type KnowledgeJobStatus = (typeof knowledgeJobStatuses)[number];

/**
 * A durable embedding job: embed every chunk of a workspace that has no embedding from `model`.
 * Progress is written after each batch, and a job whose lease expired (its process died) is taken
 * over by another worker, which continues with the chunks still missing.
 */
export const knowledgeJob = pgTable(
  "knowledge_job",
  {
    id: uuid().primaryKey().defaultRandom(),
    workspaceId: uuid()
      .notNull()
      .references(() => workspace.id, { onDelete: "cascade" }),
    /** queued | running | completed | failed */
    status: text().$type<KnowledgeJobStatus>().notNull().default("queued"),
    /** Embedding model the job writes; set when the job starts. */
    model: text(),
    /** Chunks to embed, counted when the job starts or resumes. */
    totalChunks: integer().notNull().default(0),
    embeddedChunks: integer().notNull().default(0),
    /** Times a worker started the job; a job started too often fails instead of looping. */
    attempts: integer().notNull().default(0),
    /** Safe to show: the failure's kind and message, never a provider's raw text. */
    error: jsonb().$type<{ code: string; message: string }>(),
    leaseOwner: text(),
    leaseExpiresAt: timestamp({ withTimezone: true }),
    requestedById: uuid().references(() => user.id, { onDelete: "set null" }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp({ withTimezone: true }),
    finishedAt: timestamp({ withTimezone: true }),
  },
  (table) => [
    uniqueIndex("knowledge_job_active_key").on(table.workspaceId).where(sql`${table.status} in ('queued', 'running')`),
    index("knowledge_job_workspace_idx").on(table.workspaceId, table.createdAt),
  ],
);
export type KnowledgeJob = typeof knowledgeJob.$inferSelect;

// ---------------------------------------------------------------------------------------------
// Chat: conversations per user and workspace, with the ranking they were asked against
// ---------------------------------------------------------------------------------------------

export const chatConversation = pgTable(
  "chat_conversation",
  {
    id: uuid().primaryKey().defaultRandom(),
    workspaceId: uuid()
      .notNull()
      .references(() => workspace.id, { onDelete: "cascade" }),
    userId: uuid()
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    title: text().notNull(),
    /** Answer language, a UI locale such as `en` or `fr`. */
    language: text().notNull(),
    /** The ranking when the conversation started (`RankingSnapshot` from lib/prioritization/changes.ts). */
    rankingSnapshot: jsonb().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index("chat_conversation_owner_idx").on(table.workspaceId, table.userId, table.updatedAt)],
);
export type ChatConversation = typeof chatConversation.$inferSelect;

export const chatMessageRoles = ["user", "assistant"] as const;
export type ChatMessageRole = (typeof chatMessageRoles)[number];

export const chatMessage = pgTable(
  "chat_message",
  {
    /** Id chosen by the AI SDK (client for questions, server for answers); unique per conversation. */
    id: text().notNull(),
    conversationId: uuid()
      .notNull()
      .references(() => chatConversation.id, { onDelete: "cascade" }),
    /** Insertion order within the conversation. */
    sequence: bigint({ mode: "number" }).generatedAlwaysAsIdentity(),
    /** user | assistant */
    role: text().$type<ChatMessageRole>().notNull(),
    /** AI SDK UI message parts (text, `data-sources`, `data-coverage`), as streamed to the browser. */
    parts: jsonb().$type<unknown[]>().notNull(),
    metadata: jsonb().$type<Record<string, unknown>>(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.conversationId, table.id] }),
    index("chat_message_order_idx").on(table.conversationId, table.sequence),
  ],
);
export type ChatMessageRow = typeof chatMessage.$inferSelect;

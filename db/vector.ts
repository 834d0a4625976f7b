import { sql } from "drizzle-orm";
import { SIMULATED_EMBEDDING_DIMENSIONS } from "@/lib/ai/simulator/embeddings";
import type { Db, VectorPath } from "./client";

/**
 * pgvector's HNSW index accepts at most 2,000 dimensions for the `vector` type (pgvector 0.8).
 * Larger embeddings are still searched through pgvector, by a sequential scan.
 */
export const MAX_HNSW_DIMENSIONS = 2000;

/**
 * Schema objects that exist only on the pgvector path. Each statement must be idempotent, because
 * it runs at every start-up after the migrations. The column has no fixed dimension, so a change
 * of embedding model needs no migration: each dimension gets its own partial HNSW index over
 * `embedding_vector::vector(n)` (see `ensureVectorIndex`), the form pgvector documents for
 * storing several dimensions in one column.
 */
const pgvectorStatements: string[] = [
  "alter table knowledge_chunk add column if not exists embedding_vector vector",
  // Chunks embedded while the database had no pgvector get their vector once it is installed.
  "update knowledge_chunk set embedding_vector = embedding::vector where embedding is not null and embedding_vector is null",
];

export async function applyVectorSchema(db: Db, vectorPath: VectorPath): Promise<void> {
  if (vectorPath !== "pgvector") return;
  for (const statement of pgvectorStatements) {
    await db.execute(statement);
  }
  // The simulator's dimension, so a fresh install searches through the index from the start.
  await ensureVectorIndex(db, SIMULATED_EMBEDDING_DIMENSIONS);
}

export function vectorIndexName(dimensions: number): string {
  return `knowledge_chunk_embedding_hnsw_${dimensions}`;
}

/**
 * Create the HNSW index (cosine distance) for embeddings of `dimensions` if it is missing. Returns
 * false when pgvector cannot index that many dimensions. Safe to call from several instances.
 */
export async function ensureVectorIndex(db: Db, dimensions: number): Promise<boolean> {
  if (!Number.isInteger(dimensions) || dimensions < 1) {
    throw new Error(`Invalid embedding dimension ${dimensions}; expected a positive integer.`);
  }
  if (dimensions > MAX_HNSW_DIMENSIONS) return false;

  const statement = sql.raw(
    `create index if not exists ${vectorIndexName(dimensions)} on knowledge_chunk ` +
      `using hnsw ((embedding_vector::vector(${dimensions})) vector_cosine_ops) ` +
      `where embedding_dimensions = ${dimensions}`,
  );
  try {
    await db.execute(statement);
  } catch (error) {
    // Two instances creating the same index race on the catalog; the loser's index exists anyway.
    if ((error as { code?: string }).code !== "23505") throw error;
  }
  return true;
}

import type { Db, VectorPath } from "./client";

/**
 * Schema objects that exist only on the pgvector path (vector columns and their HNSW indexes).
 * Each statement must be idempotent, because it runs at every start-up after the migrations.
 */
const pgvectorStatements: string[] = [];

export async function applyVectorSchema(db: Db, vectorPath: VectorPath): Promise<void> {
  if (vectorPath !== "pgvector") return;
  for (const statement of pgvectorStatements) {
    await db.execute(statement);
  }
}

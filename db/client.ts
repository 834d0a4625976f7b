import type { PGlite } from "@electric-sql/pglite";
import type { SQL } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import type postgres from "postgres";
import type * as schema from "./schema";

export type Schema = typeof schema;

/** A drizzle database or transaction; every query in `db/queries` takes one as first argument. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export type DatabaseEngine = "pglite" | "postgres";

/** `pgvector` when the `vector` extension is installed, else `exact` (cosine similarity in SQL). */
export type VectorPath = "pgvector" | "exact";

export interface DatabaseHandle {
  db: Db;
  engine: DatabaseEngine;
  vectorPath: VectorPath;
  /** The underlying client, for LISTEN/NOTIFY and for libraries that need raw SQL (pg-boss). */
  client: { kind: "pglite"; pglite: PGlite } | { kind: "postgres"; sql: postgres.Sql };
  /** Connection string when the engine is Postgres; other processes (workers) use it. */
  url?: string;
  close(): Promise<void>;
}

/** Rows of a raw `db.execute(sql)` result, whichever driver produced it. */
export async function executeRows<Row>(db: Db, query: SQL): Promise<Row[]> {
  const result: unknown = await db.execute(query);
  if (Array.isArray(result)) return result as Row[];
  return (result as { rows: Row[] }).rows;
}

import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite-pgvector";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import type { DatabaseHandle, Db, VectorPath } from "./client";
import { acquireDataDirLock } from "./lock";
import { migrateDatabase } from "./migrate";
import * as schema from "./schema";

export interface OpenDatabaseOptions {
  /** Postgres connection string; without it PGlite is used. */
  url?: string;
  /** PGlite data folder; omitted means in memory (tests). */
  dataDir?: string;
  poolMax?: number;
  /** Apply pending migrations before returning (default true). */
  migrate?: boolean;
}

/** Open the database on either engine, create pgvector where it can, and apply migrations. */
export async function openDatabase(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  const handle = options.url
    ? await openPostgres(options.url, options.poolMax ?? 10)
    : await openPglite(options.dataDir);
  if (options.migrate !== false) {
    try {
      await migrateDatabase(handle);
    } catch (error) {
      await handle.close();
      throw error;
    }
  }
  return handle;
}

async function openPglite(dataDir: string | undefined): Promise<DatabaseHandle> {
  let releaseLock = () => {};
  if (dataDir) {
    const absolute = path.resolve(dataDir);
    fs.mkdirSync(path.dirname(absolute), { recursive: true });
    releaseLock = acquireDataDirLock(absolute);
  }

  let pglite: PGlite;
  try {
    pglite = await PGlite.create({ dataDir: dataDir ? path.resolve(dataDir) : undefined, extensions: { vector } });
    await pglite.exec("CREATE EXTENSION IF NOT EXISTS vector");
  } catch (error) {
    releaseLock();
    throw error;
  }

  const db = drizzlePglite(pglite, { schema, casing: "snake_case" }) as unknown as Db;
  return {
    db,
    engine: "pglite",
    vectorPath: "pgvector",
    client: { kind: "pglite", pglite },
    async close() {
      await pglite.close();
      releaseLock();
    },
  };
}

async function openPostgres(url: string, poolMax: number): Promise<DatabaseHandle> {
  const sql = postgres(url, { max: poolMax, onnotice: () => {}, connection: { application_name: "rankwise" } });
  let vectorPath: VectorPath;
  try {
    vectorPath = await ensureVectorExtension(sql);
  } catch (error) {
    await sql.end({ timeout: 1 });
    throw error;
  }
  const db = drizzlePostgres(sql, { schema, casing: "snake_case" }) as unknown as Db;
  return {
    db,
    engine: "postgres",
    vectorPath,
    client: { kind: "postgres", sql },
    url,
    async close() {
      await sql.end({ timeout: 5 });
    },
  };
}

/** Create the `vector` extension when the server has it; a server without it uses exact search. */
async function ensureVectorExtension(sql: postgres.Sql): Promise<VectorPath> {
  const installed = await sql`select 1 from pg_extension where extname = 'vector'`;
  if (installed.length > 0) return "pgvector";

  const available = await sql`select 1 from pg_available_extensions where name = 'vector'`;
  if (available.length === 0) return "exact";
  try {
    await sql`create extension if not exists vector`;
    return "pgvector";
  } catch {
    // Usually a role without CREATE privilege on the database: exact search still works.
    return "exact";
  }
}

import fs from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import type { PgliteDatabase } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { type DatabaseHandle, executeRows } from "./client";
import { applyVectorSchema } from "./vector";

export const migrationsFolder = path.join(process.cwd(), "db", "migrations");

/** Arbitrary constant shared by every instance, so only one of them migrates at a time. */
const MIGRATION_LOCK_KEY = 72_690_301;

/**
 * Apply the committed drizzle-kit migrations, then the parts of the schema that depend on the
 * vector path (drizzle-kit cannot express "a vector column only where pgvector exists").
 */
export async function migrateDatabase(handle: DatabaseHandle): Promise<void> {
  if (handle.client.kind === "pglite") {
    await migratePglite(handle.db as unknown as PgliteDatabase, { migrationsFolder });
  } else {
    await migratePostgresLocked(handle.url);
  }
  await applyVectorSchema(handle.db, handle.vectorPath);
}

async function migratePostgresLocked(url: string | undefined) {
  if (!url) throw new Error("A Postgres handle without a URL cannot be migrated.");

  // A dedicated single connection: advisory locks belong to a session, not to a pool.
  const connection = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await connection`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
    await migratePostgres(drizzlePostgres(connection), { migrationsFolder });
  } finally {
    await connection`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`.catch(() => {});
    await connection.end({ timeout: 5 });
  }
}

export interface MigrationState {
  applied: number;
  available: number;
  upToDate: boolean;
}

/** Compare the migrations recorded in the database with the committed journal. */
export async function getMigrationState(handle: DatabaseHandle): Promise<MigrationState> {
  const journal = JSON.parse(fs.readFileSync(path.join(migrationsFolder, "meta", "_journal.json"), "utf8")) as {
    entries: unknown[];
  };
  const rows = await executeRows<{ count: number | string }>(
    handle.db,
    sql`select count(*) as count from drizzle.__drizzle_migrations`,
  );
  const applied = Number(rows[0]?.count ?? 0);
  return { applied, available: journal.entries.length, upToDate: applied >= journal.entries.length };
}

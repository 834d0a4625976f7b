import { getEnv } from "@/lib/env";
import { logger } from "@/lib/logger";
import type { DatabaseHandle, Db } from "./client";
import { openDatabase } from "./open";

export type { DatabaseHandle, Db } from "./client";

const globalForDb = globalThis as unknown as { rankwiseDatabase?: Promise<DatabaseHandle> };

/**
 * The process-wide database, opened and migrated on first use. Kept on `globalThis` because
 * Next.js may load this module more than once (instrumentation, route bundles, hot reload).
 */
export function getDatabase(): Promise<DatabaseHandle> {
  globalForDb.rankwiseDatabase ??= openFromEnv().catch((error: unknown) => {
    globalForDb.rankwiseDatabase = undefined;
    throw error;
  });
  return globalForDb.rankwiseDatabase;
}

export async function getDb(): Promise<Db> {
  return (await getDatabase()).db;
}

async function openFromEnv(): Promise<DatabaseHandle> {
  const env = getEnv();
  const handle = await openDatabase({
    url: env.DATABASE_URL,
    dataDir: env.DATABASE_URL ? undefined : env.PGLITE_DATA_DIR,
    poolMax: env.DATABASE_POOL_MAX,
  });
  logger.info(
    {
      engine: handle.engine,
      vectorPath: handle.vectorPath,
      ...(handle.engine === "pglite" ? { dataDir: env.PGLITE_DATA_DIR } : { poolMax: env.DATABASE_POOL_MAX }),
    },
    handle.vectorPath === "pgvector"
      ? `database ready: ${handle.engine}, vector search through pgvector`
      : `database ready: ${handle.engine}, pgvector not installed, vector search through exact scan`,
  );
  return handle;
}

/**
 * Make `getDatabase()` return this handle, or open from the environment again after `undefined`.
 * Tests only: route handlers read the process-wide database, and route tests hand them a fresh
 * test database on either engine. The caller closes the handle.
 */
export function setDatabaseForTests(handle: DatabaseHandle | undefined): void {
  globalForDb.rankwiseDatabase = handle ? Promise.resolve(handle) : undefined;
}

/** Close the process-wide database (scripts and graceful shutdown). */
export async function closeDatabase(): Promise<void> {
  const pending = globalForDb.rankwiseDatabase;
  globalForDb.rankwiseDatabase = undefined;
  if (pending) await (await pending).close();
}

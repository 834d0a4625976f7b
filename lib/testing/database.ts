import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { describe } from "vitest";
import { type DatabaseEngine, type DatabaseHandle, executeRows } from "@/db/client";
import { openDatabase } from "@/db/open";
import { getEnv } from "@/lib/env";

/**
 * Engines that database tests run on: PGlite always, and Postgres too when TEST_DATABASE_URL is
 * set. Each test database is new and private to its caller, so test files run in parallel.
 */
export function testEngines(): DatabaseEngine[] {
  return getEnv().TEST_DATABASE_URL ? ["pglite", "postgres"] : ["pglite"];
}

/** A fresh, migrated database on the given engine; `close()` drops it. */
export async function createTestDatabase(engine: DatabaseEngine): Promise<DatabaseHandle> {
  if (engine === "pglite") return openDatabase({});

  const adminUrl = getEnv().TEST_DATABASE_URL;
  if (!adminUrl) throw new Error("TEST_DATABASE_URL is not set; Postgres tests need it.");

  const name = `rankwise_test_${randomBytes(6).toString("hex")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();

  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ url: url.toString(), poolMax: 5 });
  return {
    ...handle,
    async close() {
      await handle.close();
      const cleanup = postgres(adminUrl, { max: 1, onnotice: () => {} });
      await cleanup.unsafe(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}

/** Run a suite once per test engine, naming the engine in the suite title. */
export function describeEachEngine(name: string, suite: (engine: DatabaseEngine) => void): void {
  for (const engine of testEngines()) {
    describe(`${name} [${engine}]`, () => suite(engine));
  }
}

async function currentDatabaseTime(handle: DatabaseHandle): Promise<Date> {
  const [row] = await executeRows<{ now: string | Date }>(handle.db, sql`select now() as now`);
  return new Date(row?.now ?? 0);
}

/**
 * Return the database's time now, after every earlier write and before every later one. PGlite's
 * clock ticks in milliseconds, so this waits for it to pass the time it returns.
 */
export async function markDatabaseTime(handle: DatabaseHandle): Promise<Date> {
  const mark = await currentDatabaseTime(handle);
  while ((await currentDatabaseTime(handle)).getTime() <= mark.getTime()) {}
  return mark;
}

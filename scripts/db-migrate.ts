/**
 * `npm run db:migrate`: apply the committed migrations to the configured database (DATABASE_URL,
 * else the PGlite folder PGLITE_DATA_DIR) and print the migration state. The app also migrates
 * at start-up; this is for deployments that migrate before starting new instances.
 */
import "./load-env";
import { closeDatabase, getDatabase } from "@/db";
import { getMigrationState } from "@/db/migrate";
import { logger } from "@/lib/logger";

async function main() {
  const handle = await getDatabase();
  const state = await getMigrationState(handle);
  logger.info({ engine: handle.engine, ...state }, `migrations applied: ${state.applied} of ${state.available}`);
  await closeDatabase();
}

main().catch(async (error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  await closeDatabase().catch(() => {});
  process.exit(1);
});

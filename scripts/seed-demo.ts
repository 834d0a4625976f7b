/**
 * `npm run db:seed-demo`: migrate the configured database and, if it has no user yet, seed the
 * demo users and workspaces. Runs whatever NODE_ENV is (the e2e tests seed a production build's
 * database with it); on a database that has users it changes nothing.
 */
import "./load-env";
import { closeDatabase, getDatabase } from "@/db";
import { describeDemoAccounts, seedDemo } from "@/db/seed/demo";
import { logger } from "@/lib/logger";

async function main() {
  const { db, engine } = await getDatabase();
  const seeded = await seedDemo(db);
  if (seeded) {
    logger.info(
      { engine, workspaceId: seeded.workspaceId },
      `demo data seeded; sign in with ${describeDemoAccounts()}`,
    );
  } else {
    logger.info({ engine }, "the database already has users; demo data not seeded");
  }
  await closeDatabase();
}

main().catch(async (error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  await closeDatabase().catch(() => {});
  process.exit(1);
});

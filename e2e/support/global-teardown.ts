import postgres from "postgres";

/** Drop the e2e run's Postgres database, if the run used one; PGlite folders are removed at the next run. */
export default async function globalTeardown() {
  const adminUrl = process.env.TEST_DATABASE_URL;
  const name = process.env.E2E_DATABASE_NAME;
  if (!adminUrl || !name) return;

  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    // `with (force)` ends the e2e server's connections, which may still be open at this point.
    await admin.unsafe(`drop database if exists ${name} with (force)`);
  } finally {
    await admin.end();
  }
}

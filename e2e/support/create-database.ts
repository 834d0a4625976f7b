/** Create the e2e run's Postgres database (named by E2E_DATABASE_NAME) on E2E_ADMIN_DATABASE_URL's server. */
import postgres from "postgres";

const adminUrl = process.env.E2E_ADMIN_DATABASE_URL;
const name = process.env.E2E_DATABASE_NAME;
if (!adminUrl || !name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("E2E_ADMIN_DATABASE_URL and E2E_DATABASE_NAME (lower-case letters, digits, _) must be set.");
  process.exit(1);
}

const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
try {
  await admin.unsafe(`create database ${name}`);
  console.log(`created e2e database ${name}`);
} finally {
  await admin.end();
}

import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { chromium, defineConfig } from "@playwright/test";
import { CHROMIUM_ARGS } from "./e2e/support/chromium-args";

/**
 * End-to-end tests in Chromium against a production build (`next build`, then `next start`),
 * on a freshly seeded demo database: PGlite in `.data/e2e-pglite` by default, or a new database
 * on the Postgres server of TEST_DATABASE_URL when it is set (dropped in global teardown).
 * This file and e2e/ read their own variables; the app reads configuration only in lib/env.ts.
 */

const PORT = 3100;
const baseURL = `http://127.0.0.1:${PORT}`;
/** Port of the e2e server's model simulator; the specs that set fault rules use the same number. */
const SIMULATOR_PORT = 3199;

/** Chromium to drive: PLAYWRIGHT_CHROMIUM_PATH, else the system's, else Playwright's own download. */
function resolveChromium(): string | undefined {
  const configured = process.env.PLAYWRIGHT_CHROMIUM_PATH;
  if (configured) {
    if (!fs.existsSync(configured)) {
      throw new Error(`PLAYWRIGHT_CHROMIUM_PATH=${configured} does not exist. Point it at a Chromium binary.`);
    }
    return configured;
  }
  if (fs.existsSync("/usr/bin/chromium")) return "/usr/bin/chromium";
  if (fs.existsSync(chromium.executablePath())) return undefined;
  throw new Error(
    "No Chromium found for the e2e tests. Install one with `apt-get install -y chromium` (Debian), " +
      "or set PLAYWRIGHT_CHROMIUM_PATH to a Chromium or Chrome binary.",
  );
}

/**
 * Database of the e2e server. Kept in process.env so the workers and the global teardown,
 * which load this file again, see the same database name.
 */
function e2eDatabaseEnv(): Record<string, string> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) return { DATABASE_URL: "", PGLITE_DATA_DIR: ".data/e2e-pglite" };

  process.env.E2E_DATABASE_NAME ??= `rankwise_e2e_${randomBytes(6).toString("hex")}`;
  const url = new URL(adminUrl);
  url.pathname = `/${process.env.E2E_DATABASE_NAME}`;
  return { DATABASE_URL: url.toString(), E2E_ADMIN_DATABASE_URL: adminUrl };
}

const databaseEnv = e2eDatabaseEnv();
const prepareDatabase = databaseEnv.DATABASE_URL
  ? "npx tsx e2e/support/create-database.ts"
  : "rm -rf .data/e2e-pglite .data/e2e-pglite.lock";

export default defineConfig({
  testDir: "e2e",
  testMatch: "**/*.spec.ts",
  // One worker: the specs share one seeded database, and one spec changes a user's language.
  workers: 1,
  fullyParallel: false,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  globalTeardown: "./e2e/support/global-teardown.ts",
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    locale: "en-US",
  },
  projects: [
    {
      name: "chromium",
      use: {
        browserName: "chromium",
        launchOptions: {
          executablePath: resolveChromium(),
          args: CHROMIUM_ARGS,
        },
      },
    },
  ],
  webServer: {
    command: [
      "npx next build",
      prepareDatabase,
      "npx tsx scripts/seed-demo.ts",
      `npx next start --port ${PORT} --hostname 127.0.0.1`,
    ].join(" && "),
    url: `${baseURL}/api/health`,
    reuseExistingServer: false,
    // Generous, because the build runs inside this start-up and grows with the app.
    timeout: 15 * 60_000,
    stdout: "ignore",
    stderr: "pipe",
    env: {
      ...databaseEnv,
      // A fixed secret for the throwaway e2e server only; production requires its own.
      AUTH_SECRET: "e2e-only-secret-e2e-only-secret-e2e-only-secret",
      LOG_LEVEL: "warn",
      SEED_DEMO: "false",
      NEXT_TELEMETRY_DISABLED: "1",
      // The in-process model simulator on a fixed port, so specs can set fault rules through its
      // control endpoints, and paced so an AI prioritization run takes a few seconds: long
      // enough to see its progress and first proposals before it ends.
      SIMULATOR_PORT: String(SIMULATOR_PORT),
      SIMULATOR_LATENCY_MS: "600",
      SIMULATOR_TOKENS_PER_SECOND: "3000",
      PIPELINE_CONCURRENCY: "2",
      // At 3000 tokens per second a chat answer lasts about 30 ms, one default 30 ms send interval;
      // 5 ms still merges tokens but lets the answer reach the page in several steps.
      CHAT_STREAM_INTERVAL_MS: "5",
    },
  },
});

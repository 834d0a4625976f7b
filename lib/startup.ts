import { closeDatabase, getDatabase } from "@/db";
import { describeDemoAccounts, seedDemo } from "@/db/seed/demo";
import { startModelGateway } from "@/lib/ai/startup";
import { getEnv, shouldSeedDemo } from "@/lib/env";
import { startKnowledgeRuntime, stopKnowledgeRuntime } from "@/lib/knowledge/runtime";
import { logger } from "@/lib/logger";
import { getPipelineRuntime, stopPipelineRuntime } from "@/lib/pipeline/app-runtime";
import { seedPromptTests } from "@/lib/prompt-admin/test-cases";
import { startPromptEngine, stopPromptEngine } from "@/lib/prompts/engine";
import { exitOnShutdownSignal } from "@/lib/shutdown";

const DATABASE_RETRY_MS = 5_000;

/** Timer of the next start attempt of the database services while the database is unreachable. */
let databaseRetryTimer: NodeJS.Timeout | undefined;

/**
 * Server start-up, called once per process from `instrumentation-node.ts`. Invalid configuration,
 * a failed migration or a locked PGlite folder stop the process with their message. A Postgres
 * server that cannot be reached does not: prompts are served from their files, requests that need
 * the database answer 503, and the database services start as soon as the server answers.
 * Once started, SIGTERM and SIGINT are logged and run `stopServer` before the process exits.
 */
export async function startServer(): Promise<void> {
  const env = getEnv();
  logger.info({ nodeEnv: env.NODE_ENV }, "rankwise starting");

  await startModelGateway();

  const reachable = await openDatabaseUnlessUnreachable();

  // Degrades instead of failing: serves the prompt files while the database cannot be reached.
  await startPromptEngine({ getHandle: getDatabase, checkIntervalMs: env.PROMPT_CACHE_CHECK_SECONDS * 1000 });

  if (reachable) {
    await startDatabaseServices();
  } else {
    retryDatabaseServices();
  }

  exitOnShutdownSignal(stopServer);
  logger.info({ databaseReachable: reachable }, "rankwise started");
}

/**
 * Stop what `startServer` started: the workers first, so that they release their runs in flight,
 * and the database last. A step that fails is logged and the next one still runs.
 */
export async function stopServer(): Promise<void> {
  clearTimeout(databaseRetryTimer);
  const steps: Array<[string, () => Promise<void>]> = [
    ["pipeline runtime", stopPipelineRuntime],
    ["knowledge indexer", stopKnowledgeRuntime],
    ["prompt engine", stopPromptEngine],
    ["database", closeDatabase],
  ];
  for (const [step, stop] of steps) {
    await stop().catch((error: unknown) => logger.error({ err: error, step }, `stopping the ${step} failed`));
  }
}

/** Seeding, the run queue and workers, and the knowledge indexer: everything that needs the database. */
async function startDatabaseServices(): Promise<void> {
  const { db } = await getDatabase();

  if (shouldSeedDemo()) {
    const seeded = await seedDemo(db);
    if (seeded) logger.info(`demo data seeded on the empty database; sign in with ${describeDemoAccounts()}`);
  }

  // Test cases of the shipped prompts, once each; a failure is logged and start-up goes on.
  await seedPromptTests(db).catch((error: unknown) => logger.error({ err: error }, "seeding prompt test cases failed"));

  // Queue client, plus workers unless WORKERS_IN_PROCESS=false (then `npm run worker` executes runs).
  await getPipelineRuntime();

  // Chunks and embeds documents (the seeded feedback too) unless WORKERS_IN_PROCESS=false.
  await startKnowledgeRuntime();
}

async function openDatabaseUnlessUnreachable(): Promise<boolean> {
  try {
    await getDatabase();
    return true;
  } catch (error) {
    if (!isDatabaseUnreachable(error)) throw error;
    logger.warn(
      { err: error, retryMs: DATABASE_RETRY_MS },
      "database unreachable at start-up; serving prompt files and retrying",
    );
    return false;
  }
}

function retryDatabaseServices(): void {
  databaseRetryTimer = setTimeout(async () => {
    if (!(await openDatabaseUnlessUnreachable())) return retryDatabaseServices();
    try {
      await startDatabaseServices();
      logger.info("database reachable again; database services started");
    } catch (error) {
      logger.error({ err: error }, "starting the database services failed after the database came back");
    }
  }, DATABASE_RETRY_MS);
  databaseRetryTimer.unref();
}

/** Connection-level failures of a Postgres server (down, refusing, starting up), as opposed to bad data or SQL. */
export function isDatabaseUnreachable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    typeof code === "string" &&
    ["ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "EAI_AGAIN", "ETIMEDOUT", "CONNECT_TIMEOUT", "57P03"].includes(code)
  );
}

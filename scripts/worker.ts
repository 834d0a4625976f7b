import { closeDatabase, getDatabase } from "@/db";
import { startModelGateway } from "@/lib/ai/startup";
import { getEnv } from "@/lib/env";
import { logger } from "@/lib/logger";
import { getPipelineRuntime, stopPipelineRuntime } from "@/lib/pipeline/app-runtime";
import { startPromptEngine } from "@/lib/prompts/engine";

/**
 * `npm run worker`: a process that only executes runs, for scaling out beside the web instances
 * (set WORKERS_IN_PROCESS=false on those). It shares the queue and the runs through the database,
 * so beside a web server it needs DATABASE_URL (Postgres): a PGlite folder admits one process.
 * SIGTERM or SIGINT releases the runs in flight to another worker before exiting.
 */
async function main(): Promise<void> {
  const env = getEnv();
  if (!env.DATABASE_URL) {
    logger.warn(
      { dataDir: env.PGLITE_DATA_DIR },
      "no DATABASE_URL: this worker opens the PGlite folder alone, so no web server can use it meanwhile",
    );
  }

  await getDatabase();
  const prompts = await startPromptEngine({ getHandle: getDatabase, checkIntervalMs: env.PROMPT_CACHE_CHECK_SECONDS * 1000 });
  await startModelGateway();
  await getPipelineRuntime({ withWorkers: true });
  logger.info({ pid: process.pid }, "worker ready");

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "worker stopping");
    await stopPipelineRuntime();
    await prompts.stop();
    await closeDatabase();
    logger.info("worker stopped");
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

main().catch((error: unknown) => {
  logger.fatal({ err: error }, "worker failed to start");
  process.exit(1);
});

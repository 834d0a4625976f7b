import { startKnowledgeRuntime, stopKnowledgeRuntime } from "@/lib/knowledge/runtime";
import { logger } from "@/lib/logger";
import { runWorkerProcess } from "@/lib/pipeline/worker-process";

/**
 * `npm run worker`: a process that executes runs and indexes documents (chunks and embeddings),
 * so that this work scales out beside the web instances, which then set WORKERS_IN_PROCESS=false.
 * It shares the queues and the runs through the database, so beside a web server it needs
 * DATABASE_URL (Postgres), because a PGlite folder admits one process.
 */
async function startWorker(): Promise<void> {
  await runWorkerProcess({ stopServices: stopKnowledgeRuntime });
  // After the worker start-up, because the indexer embeds through the model gateway it started.
  await startKnowledgeRuntime({ force: true });
}

startWorker().catch((error: unknown) => {
  logger.fatal({ err: error }, "worker failed to start");
  process.exit(1);
});

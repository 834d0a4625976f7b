import { logger } from "@/lib/logger";
import { runWorkerProcess } from "@/lib/pipeline/worker-process";

/**
 * `npm run worker`: a process that only executes runs, for scaling out beside the web instances
 * (set WORKERS_IN_PROCESS=false on those). It shares the queue and the runs through the database,
 * so beside a web server it needs DATABASE_URL (Postgres): a PGlite folder admits one process.
 */
runWorkerProcess().catch((error: unknown) => {
  logger.fatal({ err: error }, "worker failed to start");
  process.exit(1);
});

import { closeDatabase, getDatabase } from "@/db";
import { startModelGateway } from "@/lib/ai/startup";
import { getEnv } from "@/lib/env";
import { logger } from "@/lib/logger";
import { startPromptEngine } from "@/lib/prompts/engine";
import { getPipelineRuntime, stopPipelineRuntime } from "./app-runtime";
import type { RenderTaskPrompt } from "./deps";

export interface WorkerProcessOptions {
  /** Renderer used in place of the prompt cache (tests use their own). */
  renderPrompt?: RenderTaskPrompt;
  /** Shutdown step for what the caller started beside the pipeline, run before the database closes. */
  stopServices?: () => Promise<void>;
}

/**
 * Run this process as a pipeline worker until SIGTERM or SIGINT, which release the runs in flight
 * to another worker before exiting.
 */
export async function runWorkerProcess(options: WorkerProcessOptions = {}): Promise<void> {
  const env = getEnv();
  if (!env.DATABASE_URL) {
    logger.warn(
      { dataDir: env.PGLITE_DATA_DIR },
      "no DATABASE_URL: this worker opens the PGlite folder alone, so no web server can use it meanwhile",
    );
  }

  await getDatabase();
  const prompts = await startPromptEngine({
    getHandle: getDatabase,
    checkIntervalMs: env.PROMPT_CACHE_CHECK_SECONDS * 1000,
  });
  await startModelGateway();
  await getPipelineRuntime({ withWorkers: true, renderPrompt: options.renderPrompt });
  logger.info({ pid: process.pid }, "worker ready");

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "worker stopping");
    await stopPipelineRuntime();
    await options.stopServices?.();
    await prompts.stop();
    await closeDatabase();
    logger.info("worker stopped");
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

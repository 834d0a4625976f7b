import os from "node:os";
import { logger } from "@/lib/logger";

/**
 * Maximum time the stop function may take before the process exits anyway, in milliseconds. It is
 * longer than the 5 s that the pipeline runtime gives pg-boss to finish its jobs.
 */
const STOP_TIMEOUT_MS = 10_000;

const shutdownSignals = ["SIGTERM", "SIGINT"] as const;

type ShutdownSignal = (typeof shutdownSignals)[number];

const globalForShutdown = globalThis as unknown as { rankwiseShutdown?: { installed: boolean; stopping: boolean } };

/**
 * Install SIGTERM and SIGINT handlers that log the signal, run `stop`, and exit with 128 + the
 * signal number (143 for SIGTERM, 130 for SIGINT). Installs once per process, because Next.js may
 * load this module more than once. Each handler runs once, so in a process with no other handler a
 * second signal of the same kind gets the default action and ends the process at once.
 *
 * NOTE: under `next dev` and `next start`, Next.js's own handlers stay installed. They close the
 * HTTP server and exit with the same codes, so the process can exit before `stop` finishes. Runs
 * cut short that way are resumed or marked interrupted by the next start.
 */
export function exitOnShutdownSignal(stop: () => Promise<void>): void {
  globalForShutdown.rankwiseShutdown ??= { installed: false, stopping: false };
  const state = globalForShutdown.rankwiseShutdown;
  if (state.installed) return;
  state.installed = true;

  for (const signal of shutdownSignals) {
    process.once(signal, () => {
      if (state.stopping) return;
      state.stopping = true;
      void shutDown(signal, stop);
    });
  }
}

/** Log the signal, run `stop` for at most STOP_TIMEOUT_MS, log the outcome and exit. */
async function shutDown(signal: ShutdownSignal, stop: () => Promise<void>): Promise<never> {
  logger.info({ signal, pid: process.pid }, `rankwise stopping after ${signal}`);

  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<"timed out">((resolve) => {
    timer = setTimeout(() => resolve("timed out"), STOP_TIMEOUT_MS);
  });
  try {
    const outcome = await Promise.race([stop().then(() => "stopped" as const), timedOut]);
    if (outcome === "stopped") logger.info({ signal }, "rankwise stopped");
    else
      logger.error(
        { signal, timeoutMs: STOP_TIMEOUT_MS },
        "stopping rankwise timed out, exiting without waiting further",
      );
  } catch (error) {
    logger.error({ err: error, signal }, "stopping rankwise failed, exiting");
  } finally {
    clearTimeout(timer);
  }

  process.exit(128 + os.constants.signals[signal]);
}

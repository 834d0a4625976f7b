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

/** Signal listener installed before ours, such as the one of `next start` that closes its server and exits. */
type SignalListener = (signal: NodeJS.Signals) => void;

/**
 * Install SIGTERM and SIGINT handlers that log the signal, run `stop`, and then exit. Installs once
 * per process, because Next.js may load this module more than once.
 *
 * `next start` and `next dev` install their own handlers first, which close the HTTP server and
 * exit at once, so `stop` would be cut short. Those handlers are taken off and called after `stop`,
 * and they exit with the usual 128 + signal number. Without them, the process exits with that code
 * itself (143 for SIGTERM, 130 for SIGINT). Each handler runs once, so a second signal of the same
 * kind gets the default action and ends the process at once.
 */
export function exitOnShutdownSignal(stop: () => Promise<void>): void {
  globalForShutdown.rankwiseShutdown ??= { installed: false, stopping: false };
  const state = globalForShutdown.rankwiseShutdown;
  if (state.installed) return;
  state.installed = true;

  for (const signal of shutdownSignals) {
    const earlier = process.listeners(signal) as SignalListener[];
    for (const listener of earlier) process.removeListener(signal, listener);
    process.once(signal, () => {
      if (state.stopping) return;
      state.stopping = true;
      void shutDown(signal, stop, earlier);
    });
  }
}

/**
 * Log the signal, run `stop` for at most STOP_TIMEOUT_MS and log the outcome. Then hand over to the
 * listeners that were installed before ours, or exit.
 */
async function shutDown(signal: ShutdownSignal, stop: () => Promise<void>, earlier: SignalListener[]): Promise<void> {
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

  if (earlier.length === 0) process.exit(128 + os.constants.signals[signal]);
  for (const listener of earlier) listener(signal);
}

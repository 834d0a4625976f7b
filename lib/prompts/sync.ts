import type { DatabaseHandle } from "@/db/client";
import { getPromptCatalogFingerprint, PROMPT_CHANNEL } from "@/db/queries/prompts";
import { type Logger, logger } from "@/lib/logger";
import { getPromptCache, loadPromptCache, type PromptCache } from "./cache";

export interface PromptCacheSyncOptions {
  cache?: PromptCache;
  /** Period of the fingerprint check that catches missed notifications, in milliseconds. */
  checkIntervalMs?: number;
  /** Subscribe to publish notifications (default true); tests turn it off to exercise the check alone. */
  listen?: boolean;
}

export interface PromptCacheSync {
  /** Compare the database fingerprint with the cache and reload when they differ. */
  check(): Promise<void>;
  stop(): Promise<void>;
}

const DEFAULT_CHECK_INTERVAL_MS = 30_000;

/**
 * Keep a prompt cache in step with the database. Publishing sends a notification on commit
 * (`pg_notify`), and every listening instance reloads at once: Postgres delivers it over each
 * instance's LISTEN connection, PGlite within its own process. A periodic fingerprint check
 * catches a notification lost while a connection was down. Reloads that arrive while one runs
 * are merged into one more reload.
 */
export async function startPromptCacheSync(
  handle: DatabaseHandle,
  options: PromptCacheSyncOptions = {},
): Promise<PromptCacheSync> {
  const cache = options.cache ?? getPromptCache();
  const log = logger.child({ component: "prompt-cache", engine: handle.engine });
  const reloader = createReloader(handle, cache, log);

  async function check(): Promise<void> {
    try {
      const fingerprint = await getPromptCatalogFingerprint(handle.db);
      if (fingerprint === cache.snapshot?.fingerprint) return;
      log.info("prompt cache differs from the database; reloading");
    } catch (error) {
      reloader.reportFailure(error, "prompt cache check failed; serving the cached prompts");
      return;
    }
    await reloader.reload("check");
  }

  const unlisten = options.listen === false ? async () => {} : await listen(handle, reloader, check, log);
  const timer = setInterval(() => void check(), options.checkIntervalMs ?? DEFAULT_CHECK_INTERVAL_MS);
  timer.unref();
  log.info({ checkIntervalMs: options.checkIntervalMs ?? DEFAULT_CHECK_INTERVAL_MS }, "prompt cache sync started");

  return {
    check,
    async stop() {
      clearInterval(timer);
      await unlisten().catch((error: unknown) => log.warn({ err: error }, "stopping the prompt listener failed"));
      await reloader.idle();
      log.info("prompt cache sync stopped");
    },
  };
}

interface Reloader {
  reload(reason: string): Promise<void>;
  reportFailure(error: unknown, message: string): void;
  idle(): Promise<void>;
}

function createReloader(handle: DatabaseHandle, cache: PromptCache, log: Logger): Reloader {
  let running: Promise<void> | undefined;
  let pending = false;
  let failures = 0;

  function reportFailure(error: unknown, message: string) {
    failures += 1;
    // Log the first failure of a streak and then every hundredth, so an outage does not flood the log.
    if (failures === 1 || failures % 100 === 0) log.warn({ err: error, failures }, message);
  }

  async function reloadUntilCurrent(reason: string) {
    do {
      pending = false;
      const snapshot = await loadPromptCache(handle.db, cache);
      if (failures > 0) log.info({ failures }, "prompt cache reloads again after failures");
      failures = 0;
      log.debug({ reason, prompts: snapshot.prompts.size }, "prompt cache reloaded");
    } while (pending);
  }

  return {
    reportFailure,
    reload(reason) {
      if (running) {
        pending = true;
        return running;
      }
      running = reloadUntilCurrent(reason)
        .catch((error: unknown) => reportFailure(error, "prompt cache reload failed; serving the cached prompts"))
        .finally(() => {
          running = undefined;
        });
      return running;
    },
    async idle() {
      while (running) await running;
    },
  };
}

/** Subscribe to publish notifications; returns the function that unsubscribes. */
async function listen(
  handle: DatabaseHandle,
  reloader: Reloader,
  check: () => Promise<void>,
  log: Logger,
): Promise<() => Promise<void>> {
  const onNotification = (payload: string) => {
    log.debug({ payload }, "prompt publish notification received");
    void reloader.reload("notification");
  };

  if (handle.client.kind === "pglite") {
    const unsubscribe = await handle.client.pglite.listen(PROMPT_CHANNEL, onNotification);
    return () => unsubscribe();
  }

  let connections = 0;
  const subscription = await handle.client.sql.listen(PROMPT_CHANNEL, onNotification, () => {
    connections += 1;
    // postgres.js reconnects and listens again by itself; notifications sent meanwhile are lost.
    if (connections > 1) {
      log.info("prompt listener reconnected; checking for missed publishes");
      void check();
    }
  });
  return () => subscription.unlisten();
}

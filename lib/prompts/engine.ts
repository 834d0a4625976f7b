import type { DatabaseHandle } from "@/db/client";
import { countPrompts } from "@/db/queries/prompts";
import { type Logger, logger } from "@/lib/logger";
import { getPromptCache, loadPromptCache, loadPromptCacheFromDefinitions, type PromptCache } from "./cache";
import { importPromptFilesIfEmpty } from "./file-sync";
import { defaultPromptsDir, PromptFilesError, readPromptDirectory } from "./files";
import { type PromptCacheSync, startPromptCacheSync } from "./sync";

export interface StartPromptEngineOptions {
  /** Opens (or returns) the database; called again after a failure to retry. */
  getHandle: () => Promise<DatabaseHandle>;
  promptsDir?: string;
  cache?: PromptCache;
  /** Period of the cache fingerprint check, and of reconnection attempts while degraded, in milliseconds. */
  checkIntervalMs?: number;
  log?: Logger;
}

export interface PromptEngine {
  /** Current source of the cache: the database, or the files while the database is unreachable. */
  source(): "database" | "files";
  stop(): Promise<void>;
}

const DEFAULT_CHECK_INTERVAL_MS = 30_000;

/**
 * Start-up step for prompts: import the prompt files into an empty database, load the published
 * prompts into the cache, and keep it in sync. When the database is unreachable, the files are
 * served, a warning is logged, and the connection is retried every check interval until the
 * database versions can take over. Invalid prompt files stop the start-up only when they are needed.
 */
export function startPromptEngine(options: StartPromptEngineOptions): Promise<PromptEngine> {
  if (options.cache) return launchPromptEngine(options);

  // One engine for the process-wide cache, even when Next.js runs start-up code more than once.
  globalForEngine.rankwisePromptEngine ??= launchPromptEngine(options).catch((error: unknown) => {
    globalForEngine.rankwisePromptEngine = undefined;
    throw error;
  });
  return globalForEngine.rankwisePromptEngine;
}

const globalForEngine = globalThis as unknown as { rankwisePromptEngine?: Promise<PromptEngine> };

/** Stop the process-wide engine started by `startPromptEngine`: its cache sync and its database retries. */
export async function stopPromptEngine(): Promise<void> {
  const pending = globalForEngine.rankwisePromptEngine;
  if (pending) await (await pending).stop();
}

async function launchPromptEngine(options: StartPromptEngineOptions): Promise<PromptEngine> {
  const cache = options.cache ?? getPromptCache();
  const dir = options.promptsDir ?? defaultPromptsDir;
  const checkIntervalMs = options.checkIntervalMs ?? DEFAULT_CHECK_INTERVAL_MS;
  const log = options.log ?? logger.child({ component: "prompt-engine" });
  let sync: PromptCacheSync | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  let stopped = false;

  async function connect(): Promise<void> {
    const handle = await options.getHandle();
    if ((await countPrompts(handle.db)) === 0) {
      const summary = await importPromptFilesIfEmpty(handle.db, await readPromptDirectory(dir));
      if (summary)
        log.info({ published: summary.published.length, dir }, "imported prompt files into an empty database");
    }
    const snapshot = await loadPromptCache(handle.db, cache);
    sync = await startPromptCacheSync(handle, { cache, checkIntervalMs });
    log.info({ prompts: snapshot.prompts.size }, "prompt cache loaded from the database");
  }

  try {
    await connect();
  } catch (error) {
    if (error instanceof PromptFilesError) throw error;
    loadPromptCacheFromDefinitions(await readPromptDirectory(dir), cache);
    log.warn(
      { err: error, dir, retryIntervalMs: checkIntervalMs },
      "database unreachable while loading prompts; serving the prompt files until it can be reached",
    );
    retryTimer = scheduleRetry();
  }

  function scheduleRetry(): NodeJS.Timeout {
    let attempting = false;
    const timer = setInterval(() => {
      // A connection attempt can outlast the interval; never run two at once.
      if (attempting || sync) return;
      attempting = true;
      void connect()
        .then(() => {
          clearInterval(timer);
          if (stopped) void sync?.stop();
          else log.info("database reachable again; prompts now come from the database");
        })
        .catch((error: unknown) => log.debug({ err: error }, "database still unreachable; still serving prompt files"))
        .finally(() => {
          attempting = false;
        });
    }, checkIntervalMs);
    timer.unref();
    return timer;
  }

  return {
    source: () => cache.snapshot?.source ?? "files",
    async stop() {
      stopped = true;
      if (!options.cache) globalForEngine.rankwisePromptEngine = undefined;
      if (retryTimer) clearInterval(retryTimer);
      await sync?.stop();
    },
  };
}

import { EventEmitter } from "node:events";
import type { DatabaseHandle } from "@/db/client";
import { RUN_EVENTS_CHANNEL } from "@/db/queries/runs";
import { logger } from "@/lib/logger";

/**
 * Wake-ups for run changes, from Postgres `LISTEN` on the run events channel (PGlite supports it
 * within its one process). A notification carries only a run id, and listeners read the change from
 * the database. They poll it as well, so a lost notification only delays an update.
 */
export interface RunNotifier {
  subscribe(runId: string, listener: () => void): () => void;
  /** Listen to every run id (workers watch for cancel requests this way). */
  subscribeAll(listener: (runId: string) => void): () => void;
  close(): Promise<void>;
}

const notifiers = new WeakMap<DatabaseHandle, Promise<RunNotifier>>();

/** Return the notifier of a database handle, created on first use with a listening connection of its own. */
export function getRunNotifier(handle: DatabaseHandle): Promise<RunNotifier> {
  let notifier = notifiers.get(handle);
  if (!notifier) {
    notifier = createRunNotifier(handle);
    notifiers.set(handle, notifier);
  }
  return notifier;
}

async function createRunNotifier(handle: DatabaseHandle): Promise<RunNotifier> {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  const emit = (payload: string) => {
    emitter.emit(payload);
    emitter.emit("*", payload);
  };

  let unlisten: () => Promise<void>;
  try {
    if (handle.client.kind === "postgres") {
      const listener = await handle.client.sql.listen(RUN_EVENTS_CHANNEL, emit);
      unlisten = () => listener.unlisten();
    } else {
      unlisten = await handle.client.pglite.listen(RUN_EVENTS_CHANNEL, emit);
    }
  } catch (error) {
    // Polling still delivers every change, only later.
    logger.warn({ err: error }, "LISTEN on the run events channel failed; event streams fall back to polling");
    unlisten = async () => {};
  }

  return {
    subscribe(runId, listener) {
      emitter.on(runId, listener);
      return () => emitter.off(runId, listener);
    },
    subscribeAll(listener) {
      emitter.on("*", listener);
      return () => emitter.off("*", listener);
    },
    close: async () => {
      emitter.removeAllListeners();
      await unlisten().catch(() => {});
    },
  };
}

/** Resolve on the next notification for the run, after `timeoutMs`, or when the signal aborts. */
export function waitForRunChange(
  notifier: RunNotifier,
  runId: string,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      unsubscribe();
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    const unsubscribe = notifier.subscribe(runId, done);
    signal?.addEventListener("abort", done, { once: true });
  });
}

/** Stop listening for a handle; call before closing the handle. */
export async function closeRunNotifier(handle: DatabaseHandle): Promise<void> {
  const notifier = notifiers.get(handle);
  notifiers.delete(handle);
  if (notifier) await (await notifier).close();
}

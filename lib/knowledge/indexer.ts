import { randomUUID } from "node:crypto";
import os from "node:os";
import { claimKnowledgeJob } from "@/db/queries/knowledge";
import type { KnowledgeDeps } from "./deps";
import { syncKnowledge } from "./indexing";
import { JOB_LEASE_SECONDS, runKnowledgeJob } from "./jobs";

/**
 * The knowledge indexer of one process: every `pollMs` (or at once on `wake`) it syncs chunks with
 * the documents, then claims and runs queued embedding jobs until none is left. Jobs live in the
 * database, so any instance may take one, and a job of a dead instance is resumed once its lease
 * expires. NOTE: this is a database-backed runner of its own rather than a pg-boss queue, because
 * the pipeline's job runtime only runs prompt-based tasks.
 */
export interface KnowledgeIndexer {
  readonly owner: string;
  /** Run a pass now instead of at the next poll (after an upload, say). */
  wake(): void;
  /** Resolves after the next complete pass, for tests and scripts. */
  runPass(): Promise<void>;
  /** Stop polling; a running job is released for another worker. */
  stop(): Promise<void>;
}

export function startKnowledgeIndexer(deps: KnowledgeDeps, options: { poll?: boolean } = {}): KnowledgeIndexer {
  const owner = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const log = deps.log.child({ component: "knowledge-indexer", owner });
  const stopping = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> | undefined;
  let again = false;

  const pass = async () => {
    await syncKnowledge(deps);
    for (;;) {
      if (stopping.signal.aborted) return;
      const job = await claimKnowledgeJob(deps.db, { owner, leaseSeconds: JOB_LEASE_SECONDS });
      if (!job) return;
      await runKnowledgeJob(deps, job, { owner, signal: stopping.signal });
    }
  };

  const schedule = () => {
    if (stopping.signal.aborted || options.poll === false) return;
    clearTimeout(timer);
    timer = setTimeout(() => void runPass(), deps.settings.pollMs);
    timer.unref();
  };

  // One pass at a time; a wake during a pass runs one more pass right after it.
  const runPass = (): Promise<void> => {
    if (current) {
      again = true;
      return current;
    }
    current = pass()
      .catch((error: unknown) => log.error({ err: error }, "knowledge indexer pass failed"))
      .finally(() => {
        current = undefined;
        if (again && !stopping.signal.aborted) {
          again = false;
          void runPass();
        } else {
          schedule();
        }
      });
    return current;
  };

  log.info({ pollMs: deps.settings.pollMs }, "knowledge indexer started");
  void runPass();

  return {
    owner,
    wake: () => void runPass(),
    runPass: async () => {
      // A pass already running may have missed the caller's writes, so wait for it and run one more.
      if (current) await current;
      await runPass();
    },
    stop: async () => {
      stopping.abort();
      clearTimeout(timer);
      await current;
      log.info("knowledge indexer stopped");
    },
  };
}

import type { PGlite } from "@electric-sql/pglite";
import PgBoss from "pg-boss";
import type { DatabaseHandle } from "@/db/client";
import { CANCEL_PAYLOAD_PREFIX, listStrandedRuns } from "@/db/queries/runs";
import { guardJobStatusUpdates } from "./boss-guard";
import type { PipelineDeps } from "./deps";
import { activeRuns, executeRun } from "./execute-run";
import { getRunNotifier } from "./notifier";
import { CancelledError } from "./settle";

/** pg-boss queue of runs to execute; a job carries only the run id. */
export const RUN_QUEUE = "pipeline-run";

export interface PipelineRuntime {
  deps: PipelineDeps;
  /** Queue a run for a worker (this process's or another's); returns at once. */
  enqueueRun(runId: string): Promise<void>;
  /** Start taking runs from the queue in this process, with periodic recovery of stranded runs. */
  startWorkers(): Promise<void>;
  /** Re-queue runs whose worker died and queued runs that no worker took; returns how many. */
  recoverStrandedRuns(): Promise<number>;
  /** Stop workers (in-flight runs are released for another worker) and the queue client. */
  stop(): Promise<void>;
}

/**
 * Adapt PGlite to pg-boss's `db` option. A statement without parameters may be a script of several
 * (pg-boss sends its schema that way), so it goes through `exec`, and the rest through `query`.
 */
export function createPgliteBossDb(pglite: PGlite): PgBoss.Db {
  return {
    async executeSql(text, values) {
      if (!values || values.length === 0) {
        const results = await pglite.exec(text);
        return { rows: results.at(-1)?.rows ?? [] };
      }
      const result = await pglite.query(text, values);
      return { rows: result.rows };
    },
  };
}

function createBoss(handle: DatabaseHandle): PgBoss {
  const common = { schedule: false, supervise: true, migrate: true } as const;
  if (handle.client.kind === "pglite") return new PgBoss({ ...common, db: createPgliteBossDb(handle.client.pglite) });
  if (!handle.url) throw new Error("A Postgres handle without a URL cannot host the job queue.");
  return new PgBoss({ ...common, connectionString: handle.url, max: 3, application_name: "rankwise-jobs" });
}

export async function createPipelineRuntime(deps: PipelineDeps): Promise<PipelineRuntime> {
  const log = deps.log.child({ component: "pipeline-runtime", workerId: deps.workerId });
  guardJobStatusUpdates(log);
  const boss = createBoss(deps.handle);
  boss.on("error", (error) => log.error({ err: error }, "job queue error"));
  await boss.start();
  // Our own lease recovery resumes runs whose worker died, so pg-boss retries are a second line.
  await boss.createQueue(RUN_QUEUE, { name: RUN_QUEUE, retryLimit: 2, retryDelay: 5, expireInSeconds: 3600 });

  const stopController = new AbortController();
  const workerIds: string[] = [];
  const cleanups: Array<() => void> = [];
  const running = new Set<Promise<unknown>>();

  const enqueueRun = async (runId: string) => {
    await boss.send(RUN_QUEUE, { runId });
    // Wake this process's idle workers now instead of at their next poll.
    for (const id of workerIds) boss.notifyWorker(id);
  };

  const handleJob = async (jobs: PgBoss.Job<{ runId: string }>[]) => {
    for (const job of jobs) {
      const execution = executeRun(deps, job.data.runId, stopController.signal);
      running.add(execution);
      try {
        // A released run goes back to the queue for whichever worker is still up.
        if ((await execution) === "released") await boss.send(RUN_QUEUE, { runId: job.data.runId });
      } finally {
        running.delete(execution);
      }
    }
  };

  const recoverStrandedRuns = async () => {
    const stranded = await listStrandedRuns(deps.handle.db, { queuedForSeconds: deps.settings.leaseSeconds });
    for (const run of stranded) {
      log.warn({ runId: run.id, status: run.status }, "re-queueing a run whose worker stopped or never started it");
      await enqueueRun(run.id);
    }
    return stranded.length;
  };

  const startWorkers = async () => {
    for (let lane = 0; lane < deps.settings.workerRuns; lane++) {
      workerIds.push(await boss.work(RUN_QUEUE, { pollingIntervalSeconds: 1, batchSize: 1 }, handleJob));
    }
    cleanups.push(await watchCancelRequests(deps));
    await recoverStrandedRuns().catch((error) => log.error({ err: error }, "run recovery failed"));
    const timer = setInterval(() => {
      recoverStrandedRuns().catch((error) => log.error({ err: error }, "run recovery failed"));
    }, deps.settings.leaseSeconds * 1000);
    timer.unref();
    cleanups.push(() => clearInterval(timer));
    log.info({ lanes: deps.settings.workerRuns }, "pipeline workers started");
  };

  const stop = async () => {
    stopController.abort();
    for (const cleanup of cleanups) cleanup();
    await Promise.allSettled(running);
    await boss.stop({ graceful: true, timeout: 5000, close: true });
    log.info("pipeline runtime stopped");
  };

  return { deps, enqueueRun, startWorkers, recoverStrandedRuns, stop };
}

/** Abort runs of this process as soon as a cancel request is notified (the heartbeat is the fallback). */
async function watchCancelRequests(deps: PipelineDeps): Promise<() => void> {
  const notifier = await getRunNotifier(deps.handle);
  return notifier.subscribeAll((payload) => {
    if (!payload.startsWith(CANCEL_PAYLOAD_PREFIX)) return;
    const controller = activeRuns.get(payload.slice(CANCEL_PAYLOAD_PREFIX.length));
    if (controller && !controller.signal.aborted) controller.abort(new CancelledError());
  });
}

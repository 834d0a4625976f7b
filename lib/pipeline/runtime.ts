import type { PGlite } from "@electric-sql/pglite";
import PgBoss from "pg-boss";
import type { DatabaseHandle } from "@/db/client";
import { CANCEL_PAYLOAD_PREFIX, listStrandedRuns } from "@/db/queries/runs";
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

/** How often an idle process looks for runs queued by another process, in milliseconds. */
const QUEUE_POLL_MS = 1000;

export async function createPipelineRuntime(deps: PipelineDeps): Promise<PipelineRuntime> {
  const log = deps.log;
  const boss = createBoss(deps.handle);
  boss.on("error", (error) => log.error({ err: error }, "job queue error"));
  await boss.start();
  // Our own lease recovery resumes runs whose worker died, so pg-boss retries are a second line.
  await boss.createQueue(RUN_QUEUE, { name: RUN_QUEUE, retryLimit: 2, retryDelay: 5, expireInSeconds: 3600 });

  const stopController = new AbortController();
  const cleanups: Array<() => void> = [];
  const running = new Set<Promise<void>>();
  let dispatching: Promise<void> | undefined;
  // Set when a lane frees up or a run is queued here, so the dispatcher fetches again at once.
  let woken = false;
  let wakeDispatcher = () => {};
  const wake = () => {
    woken = true;
    wakeDispatcher();
  };
  stopController.signal.addEventListener("abort", wake, { once: true });

  const enqueueRun = async (runId: string) => {
    await boss.send(RUN_QUEUE, { runId });
    // This process takes the run now if it has a free lane, instead of at its next poll.
    wake();
  };

  /** Execute one job's run. The job completes when the run ends or is released, and fails if it throws. */
  const handleJob = async (job: PgBoss.Job<{ runId: string }>) => {
    try {
      const outcome = await executeRun(deps, job.data.runId, stopController.signal);
      // A released run goes back to the queue for whichever worker is still up.
      if (outcome === "released") await boss.send(RUN_QUEUE, { runId: job.data.runId });
      await boss.complete(RUN_QUEUE, job.id);
    } catch (error) {
      log.error({ err: error, runId: job.data.runId }, "run job failed");
      await boss.fail(RUN_QUEUE, job.id, { message: (error as Error).message });
    }
  };

  /**
   * Take jobs for every free lane in one query, then sleep while every lane is busy or the queue is
   * empty. A freed lane or a run queued in this process wakes the loop at once. Runs queued by
   * another process are found at the next poll.
   */
  const dispatch = async () => {
    const lanes = deps.settings.workerRuns;
    let fetchFailures = 0;
    while (!stopController.signal.aborted) {
      const free = lanes - running.size;
      if (free > 0) {
        try {
          const jobs = await boss.fetch<{ runId: string }>(RUN_QUEUE, { batchSize: free });
          for (const job of jobs ?? []) {
            const execution = handleJob(job)
              // A status update that fails while the database is down is recovered by the lease.
              .catch((error) => log.warn({ err: error, runId: job.data.runId }, "job status update failed"))
              .finally(() => {
                running.delete(execution);
                wake();
              });
            running.add(execution);
          }
          if (fetchFailures > 0) log.info({ failures: fetchFailures }, "taking runs from the queue works again");
          fetchFailures = 0;
        } catch (error) {
          // pg-boss 10 returns no jobs when its fetch query fails. Other errors are logged once, not
          // at every poll, until a fetch succeeds again.
          if (fetchFailures === 0) log.error({ err: error }, "taking runs from the queue failed");
          fetchFailures += 1;
        }
      }
      // Sleep until a lane frees up, a run is queued here, or the next poll. With every lane busy
      // or the queue empty, an earlier fetch would return nothing.
      if (!woken) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, QUEUE_POLL_MS);
          wakeDispatcher = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wakeDispatcher = () => {};
      }
      woken = false;
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
    dispatching ??= dispatch();
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
    await dispatching;
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

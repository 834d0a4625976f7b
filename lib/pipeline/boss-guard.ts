// pg-boss ships no types for its internal modules.
// @ts-expect-error -- untyped CommonJS module of pg-boss 10
import Manager from "pg-boss/src/manager.js";
import type { Logger } from "@/lib/logger";

type JobStatusUpdate = (this: unknown, ...args: unknown[]) => Promise<unknown>;

const globalForGuard = globalThis as unknown as { rankwiseBossGuard?: boolean };

/**
 * Keep a failed job status update from ending the process. pg-boss 10.4 marks a finished job
 * completed or failed without awaiting the query, so while the database is unreachable that
 * rejection is unhandled, which stops a Node process (`npm run worker`). Each call still returns
 * its promise unchanged to callers that await it; the lost update is logged, and the job's run is
 * re-queued by the pipeline's lease recovery once the database is back.
 */
export function guardJobStatusUpdates(log: Logger): void {
  if (globalForGuard.rankwiseBossGuard) return;
  globalForGuard.rankwiseBossGuard = true;

  const prototype = (Manager as { prototype: Record<string, JobStatusUpdate> }).prototype;
  for (const name of ["complete", "fail"] as const) {
    const original = prototype[name];
    if (typeof original !== "function") continue;
    // The method keeps its name: pg-boss exposes manager methods on the PgBoss instance by name.
    const guarded = {
      [name](this: unknown, ...args: unknown[]) {
        const update = original.apply(this, args);
        update.catch((error: unknown) =>
          log.warn({ err: error, update: name }, "job status update failed; the run will be recovered"),
        );
        return update;
      },
    }[name];
    prototype[name] = guarded as JobStatusUpdate;
  }
}

import type { Db } from "@/db/client";
import { listBatches, listRunEvents, listRuns } from "@/db/queries/runs";
import type { Run, RunBatch } from "@/db/schema";
import { notFound } from "@/lib/errors";
import { applyRunEvent, createRunActivity, type RunActivity } from "./ai-run-events";

/** Events read per query while folding a run's history. */
const EVENTS_PER_READ = 1000;

/**
 * Fold every stored event of a run into its activity, starting from its current batch rows so a
 * run with trimmed or missing events still shows the right statuses. With `throughEventId`, events
 * after that id are left out. A caller that reads that id before the rows then gets a `lastEventId`
 * whose events are all reflected in the rows.
 */
export async function loadRunActivity(
  db: Db,
  run: Run,
  batches?: RunBatch[],
  options: { throughEventId?: number } = {},
): Promise<RunActivity> {
  const rows = batches ?? (await listBatches(db, { runId: run.id }));
  const through = options.throughEventId ?? Number.POSITIVE_INFINITY;
  let activity = createRunActivity({ run, batches: rows });
  let afterId = 0;
  for (;;) {
    const events = await listRunEvents(db, { runId: run.id, afterId, limit: EVENTS_PER_READ });
    for (const event of events) {
      if (event.id > through) break;
      activity = applyRunEvent(activity, {
        id: event.id,
        type: event.type,
        data: event.data as Record<string, unknown>,
      });
    }
    const lastId = events.at(-1)?.id ?? afterId;
    if (events.length < EVENTS_PER_READ || lastId >= through) break;
    afterId = lastId;
  }
  // The rows are the truth for statuses; events only add what the rows do not keep.
  return applyRunEvent(activity, { type: "state", data: { run, batches: rows } as unknown as Record<string, unknown> });
}

/** List the workspace's runs of one kind, newest first, among its latest `scan` runs. */
export async function listRunsOfKind(
  db: Db,
  params: { workspaceId: string; kind: string; limit: number; scan?: number },
) {
  const runs = await listRuns(db, { workspaceId: params.workspaceId, limit: params.scan ?? 100 });
  return runs.filter((run) => run.kind === params.kind).slice(0, params.limit);
}

/**
 * Choose the run a page opens when none is named: the newest run that is queued or running, so the
 * page re-attaches to it, or that has batches. A run that ended before its batches were planned,
 * such as one cancelled while queued, did no work, so it is passed over unless no listed run did
 * any work.
 */
export function chooseRunToOpen<T extends Pick<Run, "status" | "batchCount">>(runs: readonly T[]): T | undefined {
  const didWork = runs.find((run) => run.status === "queued" || run.status === "running" || run.batchCount > 0);
  return didWork ?? runs[0];
}

/** Return the run if it has the workspace and kind, else throw a 404 that reveals nothing about it. */
export function checkRunScope(run: Run | undefined, params: { workspaceId: string; kind: string }): Run {
  if (!run || run.workspaceId !== params.workspaceId || run.kind !== params.kind) throw notFound("run");
  return run;
}

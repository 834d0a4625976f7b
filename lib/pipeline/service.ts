import { z } from "zod";
import type { Db } from "@/db/client";
import {
  getRunById,
  insertRun,
  listBatches,
  listModelCalls,
  listRuns,
  moveBatches,
  notifyRunCancel,
  type RunListRow,
  requestRunCancel,
  requeueRun,
} from "@/db/queries/runs";
import { getUserById } from "@/db/queries/users";
import { getWorkspaceForUser } from "@/db/queries/workspaces";
import type { ModelCall, Run, RunBatch, RunOptions } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { hasCapability } from "@/lib/auth/roles";
import { badRequest, conflict, notFound } from "@/lib/errors";
import { locales } from "@/lib/i18n/locales";
import { hiddenRunKindPrefixes, isPromptTestKind, mayReadRunKind } from "@/lib/prompt-admin/run-kinds";
import { recordRunEvent } from "./events";
import { activeRuns, finishRun } from "./execute-run";
import { countRetryBatches, isRetriedBatch, retriedBatchStatuses } from "./retry-scope";
import type { PipelineRuntime } from "./runtime";
import { CancelledError } from "./settle";
import { findTask, listTaskKinds } from "./task";

export const runOptionsOverrideSchema = z
  .object({
    concurrency: z.number().int().min(1).max(64),
    batchDeadlineSeconds: z.number().int().min(1).max(3600),
    maxRetries: z.number().int().min(0).max(10),
  })
  .partial();
export type RunOptionsOverride = z.infer<typeof runOptionsOverrideSchema>;

/**
 * Language of a run's prompts and output. It must be a UI locale, because the prompt files and the
 * run view exist only in those languages.
 */
export const runLanguageSchema = z.enum(locales, {
  error: (issue) => `expected one of ${locales.join(", ")}, got ${JSON.stringify(issue.input)}`,
});

/** Body of `POST /api/v1/runs`. */
export const startRunSchema = z.object({
  workspaceId: z.uuid(),
  kind: z.string().min(1).max(100),
  /** Prompt language; defaults to the actor's UI language, else English. */
  language: runLanguageSchema.optional(),
  input: z.unknown(),
  options: runOptionsOverrideSchema.optional(),
});

/**
 * Create a run and queue it; returns as soon as the job is queued, whatever the model latency.
 * The input is checked with the task's schema, so a bad field is a 400 named `input.<field>`.
 */
export async function startRun(
  runtime: PipelineRuntime,
  params: {
    actor: Actor;
    workspaceId: string;
    kind: string;
    input: unknown;
    language: string;
    options?: RunOptionsOverride;
  },
): Promise<Run> {
  const task = findTask(params.kind);
  if (!task) {
    const known = listTaskKinds().join(", ") || "none registered";
    throw badRequest(`Unknown run kind "${params.kind}"; expected one of: ${known}.`, { field: "kind" });
  }
  const parsed = task.inputSchema.safeParse(params.input);
  if (!parsed.success) {
    throw new z.ZodError(parsed.error.issues.map((issue) => ({ ...issue, path: ["input", ...issue.path] })));
  }

  await task.checkStart?.(parsed.data, { db: runtime.deps.handle.db, workspaceId: params.workspaceId });

  const options: RunOptions = { ...runtime.deps.settings.runDefaults, ...params.options };
  const run = await insertRun(runtime.deps.handle.db, {
    workspaceId: params.workspaceId,
    kind: task.kind,
    createdBy: params.actor.userId,
    language: params.language,
    input: parsed.data,
    options,
  });
  await runtime.enqueueRun(run.id);
  runtime.deps.log.info({ runId: run.id, kind: run.kind, workspaceId: run.workspaceId }, "run queued");
  return run;
}

/**
 * Start a run of any kind through `POST /api/v1/runs`, except kinds that their own route starts:
 * those are a 400 naming `kind` and that route.
 */
export async function startRunFromApi(runtime: PipelineRuntime, params: Parameters<typeof startRun>[1]): Promise<Run> {
  const startRoute = findTask(params.kind)?.startRoute;
  if (startRoute) {
    throw badRequest(`Runs of kind "${params.kind}" cannot start here; start them with ${startRoute}.`, {
      field: "kind",
    });
  }
  if (params.actor.role !== "admin") checkOptionsWithinDefaults(params.options, runtime.deps.settings.runDefaults);
  return startRun(runtime, params);
}

/** Setting that configures each run option, named in the error of an option above it. */
const runOptionSettings: Record<keyof RunOptions, string> = {
  concurrency: "PIPELINE_CONCURRENCY",
  batchDeadlineSeconds: "PIPELINE_BATCH_DEADLINE_SECONDS",
  maxRetries: "PIPELINE_MAX_RETRIES",
};

/**
 * Throw a 400 naming the first option above the server's configured value. Only admins may raise
 * the limits that the operator set for model calls; others may lower them.
 */
function checkOptionsWithinDefaults(options: RunOptionsOverride | undefined, defaults: RunOptions): void {
  for (const name of Object.keys(runOptionSettings) as Array<keyof RunOptions>) {
    const value = options?.[name];
    if (value === undefined || value <= defaults[name]) continue;
    throw badRequest(
      `options.${name} is ${value}, above this server's ${runOptionSettings[name]} (${defaults[name]}). Send at most ${defaults[name]}, or ask an admin to start the run.`,
      { field: `options.${name}` },
    );
  }
}

const runIdSchema = z.uuid();

/**
 * Return the run if the actor may see it, otherwise throw a 404 as for a run that does not exist.
 * Members of the run's workspace and admins may see it when their role may see runs of its kind.
 */
export async function getRunForActorOrThrow(db: Db, actor: Actor, runId: string): Promise<Run> {
  const found = runIdSchema.safeParse(runId).success ? await getRunById(db, { runId }) : undefined;
  if (!found || !mayReadRunKind(actor.role, found.kind)) throw notFound("run");
  if (hasCapability(actor.role, "readAllRuns")) return found;

  const workspace = await getWorkspaceForUser(db, { workspaceId: found.workspaceId, userId: actor.userId });
  if (!workspace) throw notFound("run");
  return found;
}

export interface RunDetail {
  run: Run;
  batches: RunBatch[];
  calls?: ModelCall[];
}

export async function getRunDetail(db: Db, run: Run, options: { calls: boolean }): Promise<RunDetail> {
  const batches = await listBatches(db, { runId: run.id });
  if (!options.calls) return { run, batches };
  return { run, batches, calls: await listModelCalls(db, { runId: run.id }) };
}

/**
 * Re-read the user's role and tell whether it still lets them see runs of the kind, for responses
 * that stay open, such as event streams. Returns false for a deleted user.
 */
export async function mayStillReadRunKind(db: Db, params: { userId: string; kind: string }): Promise<boolean> {
  if (!isPromptTestKind(params.kind)) return true;
  const user = await getUserById(db, { id: params.userId });
  return Boolean(user && mayReadRunKind(user.role, params.kind));
}

/**
 * Runs of a workspace, or of every workspace for an admin who names none, without the kinds that
 * the actor's role may not see. The caller checks that the actor may open the workspace.
 */
export async function listRunsForActor(
  db: Db,
  actor: Actor,
  params: { workspaceId?: string; limit: number; before?: Date },
): Promise<RunListRow[]> {
  const excludeKindPrefixes = hiddenRunKindPrefixes(actor.role);
  if (!params.workspaceId) {
    if (!hasCapability(actor.role, "readAllRuns")) {
      throw badRequest("Name the workspace whose runs to list.", { field: "workspaceId" });
    }
    return listRuns(db, { limit: params.limit, before: params.before, excludeKindPrefixes });
  }
  return listRuns(db, { ...params, excludeKindPrefixes });
}

/**
 * Cancel a run: pending batches are not started and in-flight model calls are aborted, on this
 * instance at once and on another through a notification (or its next heartbeat). A queued run
 * that no worker has taken is finished here.
 */
export async function cancelRun(runtime: PipelineRuntime, run: Run): Promise<Run> {
  const db = runtime.deps.handle.db;
  const flagged = await db.transaction(async (tx) => {
    const row = await requestRunCancel(tx, { runId: run.id });
    if (!row) return undefined;
    await recordRunEvent(tx, run.id, { type: "cancel_requested" });
    await notifyRunCancel(tx, { runId: run.id });
    return row;
  });
  if (!flagged) {
    throw conflict(`The run is already ${run.status}; only queued or running runs can be cancelled.`, {
      reason: "run_not_cancellable",
      params: { status: run.status },
    });
  }

  activeRuns.get(run.id)?.abort(new CancelledError());
  runtime.deps.log.info({ runId: run.id }, "run cancel requested");
  const finished = await finishRun(db, run.id, "cancelled", undefined, { unclaimedOnly: true });
  return finished ?? flagged;
}

/**
 * Put the failed, interrupted and cancelled batches of a finished run back in the queue, except
 * those that the provider's content filter stopped (see `isRetriedBatch`). A run cancelled before
 * its batches were planned has none, so it goes back to the queue whole, and the worker plans its
 * batches from the run's stored input and options, as on a first execution.
 */
export async function retryFailedBatches(
  runtime: PipelineRuntime,
  run: Run,
): Promise<{ run: Run; batchIds: string[] }> {
  const db = runtime.deps.handle.db;
  const result = await db.transaction(async (tx) => {
    const batchRows = await listBatches(tx, { runId: run.id });
    const planned = batchRows.length > 0;
    // A run that failed before planning (unknown task, or planning threw) has a non-retryable
    // error, so only a cancelled run restarts whole.
    const requeued = await requeueRun(tx, { runId: run.id, from: planned ? undefined : ["cancelled"] });
    if (!requeued && !planned && run.status === "failed") {
      throw conflict(
        "The run failed before its batches were planned, so it has no batches to retry. Start a new run.",
        { reason: "run_retry_unplanned" },
      );
    }
    if (!requeued) {
      throw conflict(`The run is ${run.status}; only a partial, failed or cancelled run can be retried.`, {
        reason: "run_not_retryable",
        params: { status: run.status },
      });
    }
    if (!planned) {
      await recordRunEvent(tx, run.id, { type: "retry_requested", batchIds: [] });
      return { run: requeued, batchIds: [] };
    }

    const { contentFiltered } = countRetryBatches(batchRows);
    const batches = await moveBatches(tx, {
      runId: run.id,
      from: [...retriedBatchStatuses],
      to: "pending",
      batchIds: batchRows.filter(isRetriedBatch).map((batch) => batch.id),
    });
    if (batches.length === 0 && contentFiltered > 0) {
      throw conflict(
        `The provider's content filter stopped every failed batch of this run (${contentFiltered}), so a retry would get the same result. Edit the text of their items and start a new run.`,
        { reason: "retry_only_content_filtered", params: { count: contentFiltered } },
      );
    }
    if (batches.length === 0) {
      throw conflict("The run has no failed batches to retry.", { reason: "run_no_failed_batches" });
    }
    const batchIds = batches.map((batch) => batch.id);
    await recordRunEvent(tx, run.id, { type: "retry_requested", batchIds });
    return { run: requeued, batchIds };
  });
  await runtime.enqueueRun(run.id);
  runtime.deps.log.info({ runId: run.id, batches: result.batchIds.length }, "run retry queued");
  return result;
}

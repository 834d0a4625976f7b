import { and, asc, desc, eq, gt, inArray, isNull, lt, ne, or, sql } from "drizzle-orm";
import { type Db, executeRows } from "@/db/client";
import {
  type BatchStatus,
  type ModelCall,
  modelCall,
  type Run,
  type RunBatch,
  type RunEvent,
  type RunOptions,
  type RunStatus,
  run,
  runBatch,
  runEvent,
  user,
} from "@/db/schema";

/** Channel that carries a run id whenever the run's events or state change. */
export const RUN_EVENTS_CHANNEL = "rankwise_run_events";

const activeStatuses: RunStatus[] = ["queued", "running"];

export async function insertRun(
  db: Db,
  params: {
    workspaceId: string;
    kind: string;
    createdBy: string;
    language: string;
    input: unknown;
    options: RunOptions;
  },
): Promise<Run> {
  const [row] = await db.insert(run).values(params).returning();
  if (!row) throw new Error("insert into run returned no row");
  return row;
}

export async function getRunById(db: Db, params: { runId: string }): Promise<Run | undefined> {
  const [row] = await db.select().from(run).where(eq(run.id, params.runId));
  return row;
}

export type RunListRow = Run & { createdByName: string | null };

/**
 * Runs newest first, of one workspace or of all of them (admins). Runs whose kind starts with one
 * of `excludeKindPrefixes` are left out.
 */
export async function listRuns(
  db: Db,
  params: { workspaceId?: string; limit: number; before?: Date; excludeKindPrefixes?: string[] },
): Promise<RunListRow[]> {
  const conditions = [
    params.workspaceId ? eq(run.workspaceId, params.workspaceId) : undefined,
    params.before ? lt(run.createdAt, params.before) : undefined,
    ...(params.excludeKindPrefixes ?? []).map((prefix) => sql`not starts_with(${run.kind}, ${prefix})`),
  ];
  const rows = await db
    .select({ run, createdByName: user.name })
    .from(run)
    .leftJoin(user, eq(user.id, run.createdBy))
    .where(and(...conditions))
    .orderBy(desc(run.createdAt))
    .limit(params.limit);
  return rows.map((row) => ({ ...row.run, createdByName: row.createdByName }));
}

/**
 * Take the run for a worker: only a queued or running run whose lease is free or lapsed. Returns
 * undefined when a worker owns it (this one included, for a duplicate job) or the run is finished.
 */
export async function claimRun(
  db: Db,
  params: { runId: string; workerId: string; leaseSeconds: number },
): Promise<Run | undefined> {
  const [row] = await db
    .update(run)
    .set({
      status: "running",
      leaseOwner: params.workerId,
      leaseExpiresAt: sql`now() + make_interval(secs => ${params.leaseSeconds})`,
      executions: sql`${run.executions} + 1`,
      startedAt: sql`coalesce(${run.startedAt}, now())`,
    })
    .where(
      and(
        eq(run.id, params.runId),
        inArray(run.status, activeStatuses),
        or(isNull(run.leaseOwner), lt(run.leaseExpiresAt, sql`now()`)),
      ),
    )
    .returning();
  return row;
}

/** Extend the lease; undefined means the worker lost the run (lapsed and taken by another). */
export async function renewRunLease(
  db: Db,
  params: { runId: string; workerId: string; leaseSeconds: number },
): Promise<Pick<Run, "cancelRequestedAt"> | undefined> {
  const [row] = await db
    .update(run)
    .set({ leaseExpiresAt: sql`now() + make_interval(secs => ${params.leaseSeconds})` })
    .where(and(eq(run.id, params.runId), eq(run.leaseOwner, params.workerId)))
    .returning({ cancelRequestedAt: run.cancelRequestedAt });
  return row;
}

export async function releaseRunLease(db: Db, params: { runId: string; workerId: string }): Promise<void> {
  await db
    .update(run)
    .set({ leaseOwner: null, leaseExpiresAt: null })
    .where(and(eq(run.id, params.runId), eq(run.leaseOwner, params.workerId)));
}

/** Active runs whose worker stopped renewing its lease, and queued runs that no worker took for a while. */
export async function listStrandedRuns(db: Db, params: { queuedForSeconds: number }): Promise<Run[]> {
  return db
    .select()
    .from(run)
    .where(
      or(
        and(eq(run.status, "running"), or(isNull(run.leaseExpiresAt), lt(run.leaseExpiresAt, sql`now()`))),
        and(
          eq(run.status, "queued"),
          isNull(run.leaseOwner),
          lt(run.createdAt, sql`now() - make_interval(secs => ${params.queuedForSeconds})`),
        ),
      ),
    );
}

export async function insertBatches(
  db: Db,
  params: { runId: string; batches: Array<{ label: string; input: unknown }> },
): Promise<RunBatch[]> {
  const values = params.batches.map((batch, position) => ({ runId: params.runId, position, ...batch }));
  const rows = values.length > 0 ? await db.insert(runBatch).values(values).returning() : [];
  await db.update(run).set({ batchCount: rows.length }).where(eq(run.id, params.runId));
  return rows.sort((a, b) => a.position - b.position);
}

/** First key of the per-workspace advisory locks that order the planning of runs. */
const RUN_PLANNING_LOCK_NAMESPACE = 7_269_033;

/**
 * Take the workspace's planning lock until the transaction ends, so that a run planned after
 * another reads that run's batches.
 */
export async function lockRunPlanning(db: Db, params: { workspaceId: string }): Promise<void> {
  await executeRows(
    db,
    sql`select pg_advisory_xact_lock(${RUN_PLANNING_LOCK_NAMESPACE}, hashtext(${params.workspaceId}))`,
  );
}

/**
 * Inputs of the batches still to run (pending or running) of the workspace's unfinished runs of
 * one kind, other than `exceptRunId`.
 */
export async function listOpenBatchInputs(
  db: Db,
  params: { workspaceId: string; kind: string; exceptRunId?: string },
): Promise<unknown[]> {
  const rows = await db
    .select({ input: runBatch.input })
    .from(runBatch)
    .innerJoin(run, eq(run.id, runBatch.runId))
    .where(
      and(
        eq(run.workspaceId, params.workspaceId),
        eq(run.kind, params.kind),
        inArray(run.status, activeStatuses),
        inArray(runBatch.status, ["pending", "running"]),
        params.exceptRunId ? ne(run.id, params.exceptRunId) : undefined,
      ),
    );
  return rows.map((row) => row.input);
}

export async function listBatches(db: Db, params: { runId: string }): Promise<RunBatch[]> {
  return db.select().from(runBatch).where(eq(runBatch.runId, params.runId)).orderBy(asc(runBatch.position));
}

/** Count the batches of each run by status, for lists that show failed and cancelled batches apart. */
export async function countBatchesByStatus(
  db: Db,
  params: { runIds: string[] },
): Promise<Map<string, Partial<Record<BatchStatus, number>>>> {
  const counts = new Map<string, Partial<Record<BatchStatus, number>>>();
  if (params.runIds.length === 0) return counts;
  const rows = await db
    .select({ runId: runBatch.runId, status: runBatch.status, count: sql<number>`count(*)::int` })
    .from(runBatch)
    .where(inArray(runBatch.runId, params.runIds))
    .groupBy(runBatch.runId, runBatch.status);
  for (const row of rows) {
    counts.set(row.runId, { ...counts.get(row.runId), [row.status]: Number(row.count) });
  }
  return counts;
}

/** Check that a run, or the batch of a run, exists and belongs to the workspace. */
export async function isRunOrBatchInWorkspace(
  db: Db,
  params: { workspaceId: string; kind?: string } & ({ runId: string } | { batchId: string }),
): Promise<boolean> {
  const ofKind = params.kind ? eq(run.kind, params.kind) : undefined;
  const rows =
    "runId" in params
      ? await db
          .select({ id: run.id })
          .from(run)
          .where(and(eq(run.id, params.runId), eq(run.workspaceId, params.workspaceId), ofKind))
      : await db
          .select({ id: runBatch.id })
          .from(runBatch)
          .innerJoin(run, eq(run.id, runBatch.runId))
          .where(and(eq(runBatch.id, params.batchId), eq(run.workspaceId, params.workspaceId), ofKind));
  return rows.length > 0;
}

/** Mark a pending batch running for a new execution; undefined when it was not pending. */
export async function startBatch(db: Db, params: { batchId: string }): Promise<RunBatch | undefined> {
  const [row] = await db
    .update(runBatch)
    .set({
      status: "running",
      executions: sql`${runBatch.executions} + 1`,
      attempts: 0,
      outcome: null,
      error: null,
      startedAt: sql`now()`,
      finishedAt: null,
    })
    .where(and(eq(runBatch.id, params.batchId), eq(runBatch.status, "pending")))
    .returning();
  return row;
}

/**
 * Finish a running batch and update its run's batch counters in the same transaction. Returns
 * undefined when the batch was no longer running (cancelled or recovered).
 */
export async function finishBatch(
  db: Db,
  params: { batchId: string; fromStatus?: BatchStatus } & Pick<RunBatch, "status" | "outcome" | "result" | "error">,
): Promise<RunBatch | undefined> {
  const { batchId, fromStatus = "running", ...values } = params;
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(runBatch)
      .set({ ...values, finishedAt: sql`now()` })
      .where(and(eq(runBatch.id, batchId), eq(runBatch.status, fromStatus)))
      .returning();
    if (row) await addBatchCounts(tx, { runId: row.runId, changes: [{ from: fromStatus, to: row.status }] });
    return row;
  });
}

/**
 * Move batches of a run from some statuses to another and update the run's batch counters in the
 * same transaction. With `batchIds`, only those of the run's batches move. Returns the moved
 * batches in position order.
 */
export async function moveBatches(
  db: Db,
  params: {
    runId: string;
    from: BatchStatus[];
    to: BatchStatus;
    error?: RunBatch["error"];
    maxExecutions?: number;
    batchIds?: string[];
  },
): Promise<RunBatch[]> {
  if (params.batchIds?.length === 0) return [];
  const finished = params.to !== "pending" && params.to !== "running";
  return db.transaction(async (tx) => {
    // The row locks keep each batch's previous status valid until the update below, so the
    // counter changes are exact even when another transaction finishes one of these batches.
    const previous = await tx
      .select({ id: runBatch.id, status: runBatch.status })
      .from(runBatch)
      .where(
        and(
          eq(runBatch.runId, params.runId),
          inArray(runBatch.status, params.from),
          params.maxExecutions === undefined ? undefined : lt(runBatch.executions, params.maxExecutions),
          params.batchIds === undefined ? undefined : inArray(runBatch.id, params.batchIds),
        ),
      )
      .for("update");
    if (previous.length === 0) return [];

    const rows = await tx
      .update(runBatch)
      .set({
        status: params.to,
        ...(params.error !== undefined ? { error: params.error } : {}),
        ...(params.to === "pending" ? { error: null, outcome: null, result: null } : {}),
        finishedAt: finished ? sql`now()` : null,
      })
      .where(
        inArray(
          runBatch.id,
          previous.map((batch) => batch.id),
        ),
      )
      .returning();
    const changes = previous.map((batch) => ({ from: batch.status, to: params.to }));
    await addBatchCounts(tx, { runId: params.runId, changes });
    return rows.sort((a, b) => a.position - b.position);
  });
}

/**
 * Run counter that a batch in this status adds to. `failed` counts failed and interrupted
 * batches. Cancelled ones count in neither, because a cancel is a choice, not a failure.
 */
function batchCounter(status: BatchStatus): "succeeded" | "failed" | undefined {
  if (status === "succeeded") return "succeeded";
  if (status === "failed" || status === "interrupted") return "failed";
  return undefined;
}

/**
 * Apply batch status changes to the run's `batchesSucceeded` and `batchesFailed`. The counters
 * are incremented rather than recounted, because a recount in a concurrent transaction reads a
 * snapshot without the batches that another transaction finished meanwhile.
 */
async function addBatchCounts(
  db: Db,
  params: { runId: string; changes: Array<{ from: BatchStatus; to: BatchStatus }> },
): Promise<void> {
  const delta = { succeeded: 0, failed: 0 };
  for (const change of params.changes) {
    const before = batchCounter(change.from);
    const after = batchCounter(change.to);
    if (before === after) continue;
    if (before) delta[before] -= 1;
    if (after) delta[after] += 1;
  }
  if (delta.succeeded === 0 && delta.failed === 0) return;
  await db
    .update(run)
    .set({
      batchesSucceeded: sql`${run.batchesSucceeded} + ${delta.succeeded}`,
      batchesFailed: sql`${run.batchesFailed} + ${delta.failed}`,
    })
    .where(eq(run.id, params.runId));
}

/** Record a model call and add its tokens and cost to its batch and run. */
export async function insertModelCall(db: Db, params: typeof modelCall.$inferInsert): Promise<ModelCall> {
  const [row] = await db.insert(modelCall).values(params).returning();
  if (!row) throw new Error("insert into model_call returned no row");
  const tokens = { input: row.inputTokens ?? 0, output: row.outputTokens ?? 0, cost: row.costUsd ?? 0 };
  await db
    .update(runBatch)
    .set({
      attempts: sql`greatest(${runBatch.attempts}, ${row.attempt})`,
      inputTokens: sql`${runBatch.inputTokens} + ${tokens.input}`,
      outputTokens: sql`${runBatch.outputTokens} + ${tokens.output}`,
      costUsd: sql`${runBatch.costUsd} + ${tokens.cost}`,
    })
    .where(eq(runBatch.id, row.batchId));
  await db
    .update(run)
    .set({
      callCount: sql`${run.callCount} + 1`,
      inputTokens: sql`${run.inputTokens} + ${tokens.input}`,
      outputTokens: sql`${run.outputTokens} + ${tokens.output}`,
      costUsd: sql`${run.costUsd} + ${tokens.cost}`,
    })
    .where(eq(run.id, row.runId));
  return row;
}

export async function listModelCalls(db: Db, params: { runId: string }): Promise<ModelCall[]> {
  return db
    .select()
    .from(modelCall)
    .where(eq(modelCall.runId, params.runId))
    .orderBy(asc(modelCall.batchId), asc(modelCall.execution), asc(modelCall.attempt));
}

/**
 * Set the run's status, and end its lease when the status is a finished one. The batch counters
 * stay as they are, because `finishBatch` and `moveBatches` keep them current. With
 * `unclaimedOnly`, only a queued run without a lease changes, and otherwise undefined is returned.
 */
export async function updateRunStatus(
  db: Db,
  params: { runId: string; status: RunStatus; error?: Run["error"]; unclaimedOnly?: boolean },
): Promise<Run | undefined> {
  const finished = !activeStatuses.includes(params.status);
  const [row] = await db
    .update(run)
    .set({
      status: params.status,
      ...(params.error !== undefined ? { error: params.error } : {}),
      finishedAt: finished ? sql`now()` : null,
      ...(finished ? { leaseOwner: null, leaseExpiresAt: null } : {}),
    })
    .where(
      and(
        eq(run.id, params.runId),
        params.unclaimedOnly ? and(eq(run.status, "queued"), isNull(run.leaseOwner)) : undefined,
      ),
    )
    .returning();
  return row;
}

/** Flag an active run as cancelled by its user; undefined when the run is already finished. */
export async function requestRunCancel(db: Db, params: { runId: string }): Promise<Run | undefined> {
  const [row] = await db
    .update(run)
    .set({ cancelRequestedAt: sql`coalesce(${run.cancelRequestedAt}, now())` })
    .where(and(eq(run.id, params.runId), inArray(run.status, activeStatuses)))
    .returning();
  return row;
}

/** Statuses of a finished run that a retry can put back in the queue. */
const retryableStatuses: RunStatus[] = ["partial", "failed", "cancelled"];

/**
 * Put a finished run back in the queue, for a retry of some of its batches, if its status is one
 * of `from` (default: partial, failed or cancelled). Returns undefined when it is not.
 */
export async function requeueRun(db: Db, params: { runId: string; from?: RunStatus[] }): Promise<Run | undefined> {
  const [row] = await db
    .update(run)
    .set({ status: "queued", cancelRequestedAt: null, finishedAt: null, error: null })
    .where(and(eq(run.id, params.runId), inArray(run.status, params.from ?? retryableStatuses)))
    .returning();
  return row;
}

/** First key of the per-run advisory locks that order event ids by commit. */
const RUN_EVENT_LOCK_NAMESPACE = 7_269_032;

/**
 * Append an event and notify listeners; call it inside a transaction, and the notification is
 * delivered when it commits. A transaction-scoped lock per run makes a run's events commit in id
 * order, because a stream reads `id > cursor` and would otherwise skip an event whose transaction
 * commits after one with a higher id.
 */
export async function appendRunEvent(
  db: Db,
  params: { runId: string; type: string; data: Record<string, unknown> },
): Promise<RunEvent> {
  await executeRows(db, sql`select pg_advisory_xact_lock(${RUN_EVENT_LOCK_NAMESPACE}, hashtext(${params.runId}))`);
  const [row] = await db.insert(runEvent).values(params).returning();
  if (!row) throw new Error("insert into run_event returned no row");
  await notifyRunChanged(db, params);
  return row;
}

export async function notifyRunChanged(db: Db, params: { runId: string }): Promise<void> {
  await executeRows(db, sql`select pg_notify(${RUN_EVENTS_CHANNEL}, ${params.runId})`);
}

/** Prefix of the notification that requests the worker executing a run to abort it. */
export const CANCEL_PAYLOAD_PREFIX = "cancel:";

export async function notifyRunCancel(db: Db, params: { runId: string }): Promise<void> {
  await executeRows(db, sql`select pg_notify(${RUN_EVENTS_CHANNEL}, ${CANCEL_PAYLOAD_PREFIX + params.runId})`);
}

export async function listRunEvents(
  db: Db,
  params: { runId: string; afterId: number; limit: number },
): Promise<RunEvent[]> {
  return db
    .select()
    .from(runEvent)
    .where(and(eq(runEvent.runId, params.runId), gt(runEvent.id, params.afterId)))
    .orderBy(asc(runEvent.id))
    .limit(params.limit);
}

export async function getLastRunEventId(db: Db, params: { runId: string }): Promise<number> {
  const [row] = await db
    .select({ id: runEvent.id })
    .from(runEvent)
    .where(eq(runEvent.runId, params.runId))
    .orderBy(desc(runEvent.id))
    .limit(1);
  return row?.id ?? 0;
}

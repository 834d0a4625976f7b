import { sql } from "drizzle-orm";
import { setDatabaseForTests } from "@/db";
import { type DatabaseEngine, type DatabaseHandle, executeRows } from "@/db/client";
import { getRunById, listBatches, listModelCalls } from "@/db/queries/runs";
import { insertUser } from "@/db/queries/users";
import { addMember, insertWorkspace } from "@/db/queries/workspaces";
import { finishedRunStatuses, type Run, type UserRole } from "@/db/schema";
import { createGateway, type Gateway, type GatewayConfigInput } from "@/lib/ai";
import { startSimulator } from "@/lib/ai/simulator/server";
import type { SimulatorHandle, SimulatorOptions } from "@/lib/ai/simulator/types";
import { createItem } from "@/lib/backlog/items";
import type { KnowledgeDeps } from "@/lib/knowledge/deps";
import { logger } from "@/lib/logger";
import { createWorkerId, type PipelineSettings } from "@/lib/pipeline/deps";
import { closeRunNotifier } from "@/lib/pipeline/notifier";
import { createPromptRenderer } from "@/lib/pipeline/prompt";
import { createPipelineRuntime, type PipelineRuntime } from "@/lib/pipeline/runtime";
import { registerTasks } from "@/lib/pipeline/task";
import { createKnowledgeRetriever } from "@/lib/prioritization/ai-evidence";
import { createPrioritizationTask } from "@/lib/prioritization/ai-task";
import { loadPromptCacheFromDefinitions, PromptCache } from "@/lib/prompts/cache";
import { defaultPromptsDir, readPromptDirectory } from "@/lib/prompts/files";
import { createTestDatabase } from "@/lib/testing/database";

/**
 * Real components for the reliability suite: a fresh database on the given engine, the model
 * simulator over HTTP on 127.0.0.1, a gateway with short timeouts pointed at it, the prompt
 * files in a cache (and in the process-wide cache, which the chat route renders from), the real
 * prioritization task and a pipeline runtime with in-process workers. Route handlers reach these
 * through `setDatabaseForTests` and the mocks each test file declares (see `RouteMocks`).
 */
export interface ReliabilityHarness {
  handle: DatabaseHandle;
  simulator: SimulatorHandle;
  gateway: Gateway;
  runtime: PipelineRuntime;
  knowledge: KnowledgeDeps;
  close(): Promise<void>;
}

/** What the test files' `vi.mock` factories read, set by the harness. */
export interface RouteMocks {
  gateway?: Gateway;
  runtime?: PipelineRuntime;
  /** User id the mocked `getServerSession` returns; undefined means anonymous. */
  sessionUserId?: string;
}

export const reliabilitySettings: PipelineSettings = {
  runDefaults: { concurrency: 4, batchDeadlineSeconds: 60, maxRetries: 2 },
  maxBatchExecutions: 2,
  leaseSeconds: 30,
  workerRuns: 4,
  textCapChars: 200_000,
  eventsPollMs: 100,
};

export interface HarnessOptions {
  simulator?: Partial<SimulatorOptions>;
  gateway?: Partial<Omit<GatewayConfigInput, "provider">>;
  settings?: Partial<PipelineSettings>;
  /** Open this database instead of a new test database (the caller closes it). */
  handle?: DatabaseHandle;
  /** Point the gateway at this URL instead of the simulator's, such as a recording proxy in front of it. */
  providerUrl?: (simulatorUrl: string) => Promise<string>;
}

export async function createReliabilityHarness(
  engine: DatabaseEngine,
  mocks: RouteMocks,
  options: HarnessOptions = {},
): Promise<ReliabilityHarness> {
  const handle = options.handle ?? (await createTestDatabase(engine));
  setDatabaseForTests(handle);
  const simulator = await startSimulator({
    host: "127.0.0.1",
    port: 0,
    ttftMs: 0,
    tokensPerSecond: 0,
    ...options.simulator,
  });
  const providerUrl = options.providerUrl ? await options.providerUrl(simulator.url) : simulator.url;
  const gateway = createGateway({
    provider: { kind: "simulator", url: providerUrl },
    maxRetries: 2,
    backoffBaseMs: 5,
    backoffMaxMs: 20,
    attemptTimeoutMs: 1500,
    deadlineMs: 20_000,
    maxRetryWaitMs: 5000,
    concurrency: 64,
    ...options.gateway,
  });
  const knowledge: KnowledgeDeps = {
    db: handle.db,
    vectorPath: handle.vectorPath,
    gateway,
    settings: {
      chunkTokens: 200,
      overlapTokens: 30,
      topK: 5,
      minSimilarity: 0.2,
      embedBatchSize: 32,
      maxUploadBytes: 1_000_000,
      pollMs: 60_000,
    },
    log: logger.child({ test: "reliability" }),
  };
  registerTasks(createPrioritizationTask({ retrieve: createKnowledgeRetriever(async () => knowledge) }));

  const definitions = await readPromptDirectory(defaultPromptsDir);
  loadPromptCacheFromDefinitions(definitions);
  const cache = new PromptCache();
  loadPromptCacheFromDefinitions(definitions, cache);
  const workerId = createWorkerId();
  const runtime = await createPipelineRuntime({
    handle,
    generate: (params) => gateway.generateChat(params),
    renderPrompt: createPromptRenderer({ cache }),
    settings: { ...reliabilitySettings, ...options.settings },
    workerId,
    log: logger.child({ component: "reliability-test", workerId }),
  });
  await runtime.startWorkers();
  mocks.gateway = gateway;
  mocks.runtime = runtime;

  return {
    handle,
    simulator,
    gateway,
    runtime,
    knowledge,
    async close() {
      await runtime.stop();
      await closeRunNotifier(handle);
      await gateway.close();
      await simulator.close();
      setDatabaseForTests(undefined);
      if (!options.handle) await handle.close();
    },
  };
}

let counter = 0;

/** Create a workspace with one member of each given role. */
export async function createWorkspaceWithUsers(handle: DatabaseHandle, roles: UserRole[] = ["member"]) {
  counter += 1;
  const workspace = await insertWorkspace(handle.db, { name: `Reliability ${counter}` });
  const users: Record<string, string> = {};
  for (const role of roles) {
    const user = await insertUser(handle.db, {
      email: `${role}-${counter}-${Date.now()}@example.test`,
      name: `${role} ${counter}`,
      passwordHash: "not-a-real-hash",
      role,
    });
    await addMember(handle.db, { workspaceId: workspace.id, userId: user.id });
    users[role] = user.id;
  }
  return { workspaceId: workspace.id, users };
}

/** Items without any input, `perTheme` in each theme, so a run proposes every input. */
export async function createBacklog(
  handle: DatabaseHandle,
  params: { workspaceId: string; actorId: string; themes: string[]; perTheme: number },
): Promise<string[]> {
  const ids: string[] = [];
  for (const theme of params.themes) {
    for (let index = 1; index <= params.perTheme; index++) {
      const item = await createItem(handle.db, {
        workspaceId: params.workspaceId,
        actorId: params.actorId,
        fields: {
          title: `${theme} item ${index}`,
          description: `Item ${index} of the ${theme} theme.`,
          theme,
          status: "idea",
          links: [],
          externalId: null,
        },
      });
      ids.push(item.id);
    }
  }
  return ids;
}

/** Check a condition every 25 ms until it returns a value; fail after `timeoutMs`. */
export async function waitFor<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 30_000,
  what = "condition",
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export async function waitForFinishedRun(handle: DatabaseHandle, runId: string, timeoutMs = 60_000): Promise<Run> {
  return waitFor(
    async () => {
      const row = await getRunById(handle.db, { runId });
      return row && finishedRunStatuses.includes(row.status) ? row : undefined;
    },
    timeoutMs,
    `run ${runId} finished`,
  );
}

/**
 * Problems in a finished run's records: counters that disagree with its batches and calls, calls
 * of another run's batches, batches left pending or running. Empty when consistent.
 */
export async function findRunInconsistencies(handle: DatabaseHandle, runId: string): Promise<string[]> {
  const run = await getRunById(handle.db, { runId });
  if (!run) return [`run ${runId} is missing`];
  const batches = await listBatches(handle.db, { runId });
  const calls = await listModelCalls(handle.db, { runId });
  const problems: string[] = [];
  const succeeded = batches.filter((batch) => batch.status === "succeeded").length;
  const batchIds = new Set(batches.map((batch) => batch.id));

  if (!finishedRunStatuses.includes(run.status)) problems.push(`status is ${run.status}`);
  if (!run.finishedAt) problems.push("finishedAt is not set");
  if (run.batchCount !== batches.length) problems.push(`batchCount ${run.batchCount} for ${batches.length} batches`);
  if (run.batchesSucceeded !== succeeded) problems.push(`batchesSucceeded ${run.batchesSucceeded} for ${succeeded}`);
  if (run.batchesSucceeded + run.batchesFailed > batches.length) problems.push("more finished batches than batches");
  if (run.callCount !== calls.length) problems.push(`callCount ${run.callCount} for ${calls.length} calls`);
  for (const call of calls) if (!batchIds.has(call.batchId)) problems.push(`call ${call.id} of a foreign batch`);
  for (const batch of batches) {
    if (batch.status === "pending" || batch.status === "running")
      problems.push(`batch ${batch.position} ${batch.status}`);
    if (batch.status === "succeeded" && batch.result === null) problems.push(`batch ${batch.position} has no result`);
  }
  if (run.status === "completed" && succeeded !== batches.length) problems.push("completed with unsucceeded batches");
  return problems;
}

/** Model calls whose batch belongs to no batch row, and batches whose run is gone, across the database. */
export async function countOrphans(handle: DatabaseHandle): Promise<{ calls: number; batches: number }> {
  const [calls] = await executeRows<{ count: number | string }>(
    handle.db,
    sql`select count(*) as count from model_call c left join run_batch b on b.id = c.batch_id where b.id is null or b.run_id <> c.run_id`,
  );
  const [batches] = await executeRows<{ count: number | string }>(
    handle.db,
    sql`select count(*) as count from run_batch b left join run r on r.id = b.run_id where r.id is null`,
  );
  return { calls: Number(calls?.count ?? 0), batches: Number(batches?.count ?? 0) };
}

/** Collect unhandled promise rejections while `body` runs. */
export async function collectUnhandledRejections(body: () => Promise<void>): Promise<unknown[]> {
  const rejections: unknown[] = [];
  const listener = (reason: unknown) => rejections.push(reason);
  process.on("unhandledRejection", listener);
  try {
    await body();
    // Let rejections of promises that settled during the body reach the listener.
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off("unhandledRejection", listener);
  }
  return rejections;
}

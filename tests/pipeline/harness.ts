import type { DatabaseEngine, DatabaseHandle } from "@/db/client";
import { listBatches, listModelCalls } from "@/db/queries/runs";
import { insertUser } from "@/db/queries/users";
import { addMember, insertWorkspace } from "@/db/queries/workspaces";
import type { Run } from "@/db/schema";
import { createGateway, type Gateway, type GatewayConfigInput } from "@/lib/ai";
import { startSimulator } from "@/lib/ai/simulator/server";
import type { SimulatorHandle, SimulatorOptions } from "@/lib/ai/simulator/types";
import type { Actor } from "@/lib/auth/actor";
import { logger } from "@/lib/logger";
import { createWorkerId, type PipelineSettings } from "@/lib/pipeline/deps";
import { closeRunNotifier } from "@/lib/pipeline/notifier";
import { createPromptRenderer } from "@/lib/pipeline/prompt";
import { createPipelineRuntime, type PipelineRuntime } from "@/lib/pipeline/runtime";
import { type RunOptionsOverride, startRun } from "@/lib/pipeline/service";
import { registerTasks } from "@/lib/pipeline/task";
import { loadPromptCacheFromDefinitions, PromptCache } from "@/lib/prompts/cache";
import { createTestDatabase } from "@/lib/testing/database";
import { TEST_TASK_KIND, type TestInput, testPrompts, testTask } from "./test-task";

/**
 * A test pipeline on real components: a fresh database, the model simulator over HTTP on
 * 127.0.0.1, a gateway pointed at it, a prompt cache holding the test prompts, and a runtime with
 * in-process workers.
 */

export { TEST_TASK_KIND, type TestInput, testInputSchema, testPrompts, testTask } from "./test-task";

export interface PipelineHarness {
  handle: DatabaseHandle;
  simulator: SimulatorHandle;
  gateway: Gateway;
  runtime: PipelineRuntime;
  actor: Actor;
  workspaceId: string;
  start(input: TestInput, options?: { kind?: string } & RunOptionsOverride): Promise<Run>;
  waitForRun(runId: string, timeoutMs?: number): Promise<Run>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  simulator?: Partial<SimulatorOptions>;
  gateway?: Partial<Omit<GatewayConfigInput, "provider">>;
  settings?: Partial<PipelineSettings>;
  /** Start workers (default true); a test of recovery starts them itself. */
  workers?: boolean;
}

export const testSettings: PipelineSettings = {
  runDefaults: { concurrency: 4, batchDeadlineSeconds: 60, maxRetries: 3 },
  maxBatchExecutions: 2,
  leaseSeconds: 30,
  workerRuns: 2,
  textCapChars: 200_000,
  eventsPollMs: 200,
};

export async function createPipelineHarness(
  engine: DatabaseEngine,
  options: HarnessOptions = {},
): Promise<PipelineHarness> {
  registerTasks(testTask);
  const handle = await createTestDatabase(engine);
  const simulator = await startSimulator({ host: "127.0.0.1", port: 0, ttftMs: 0, latencyMs: 0, ...options.simulator });
  const gateway = createGateway({
    provider: { kind: "simulator", url: simulator.url },
    maxRetries: 2,
    backoffBaseMs: 5,
    backoffMaxMs: 20,
    ...options.gateway,
  });
  const cache = new PromptCache();
  loadPromptCacheFromDefinitions(testPrompts, cache);

  const workerId = createWorkerId();
  const runtime = await createPipelineRuntime({
    handle,
    generate: (params) => gateway.generateChat(params),
    renderPrompt: createPromptRenderer({ cache }),
    settings: { ...testSettings, ...options.settings },
    workerId,
    log: logger.child({ component: "pipeline-test", workerId }),
  });
  if (options.workers !== false) await runtime.startWorkers();

  const user = await insertUser(handle.db, {
    email: `pm-${workerId}@example.com`,
    name: "PM",
    passwordHash: "x",
    role: "member",
  });
  const workspace = await insertWorkspace(handle.db, { name: "Pipeline tests" });
  await addMember(handle.db, { workspaceId: workspace.id, userId: user.id });
  const actor: Actor = {
    userId: user.id,
    email: user.email,
    name: user.name,
    role: "member",
    locale: null,
    via: "session",
  };

  return {
    handle,
    simulator,
    gateway,
    runtime,
    actor,
    workspaceId: workspace.id,
    start: (input, { kind, ...options } = {}) =>
      startRun(runtime, {
        actor,
        workspaceId: workspace.id,
        kind: kind ?? TEST_TASK_KIND,
        input,
        language: "en",
        options,
      }),
    waitForRun: (runId, timeoutMs = 30_000) => waitForFinishedRun(handle, runId, timeoutMs),
    close: async () => {
      await runtime.stop();
      await closeRunNotifier(handle);
      await gateway.close();
      await simulator.close();
      await handle.close();
    },
  };
}

/** Poll the run until it has a finished status; the run's own deadline bounds the wait. */
export async function waitForFinishedRun(handle: DatabaseHandle, runId: string, timeoutMs: number): Promise<Run> {
  const { getRunById } = await import("@/db/queries/runs");
  return waitFor(async () => {
    const row = await getRunById(handle.db, { runId });
    return row && ["completed", "partial", "failed", "cancelled"].includes(row.status) ? row : undefined;
  }, timeoutMs);
}

/** Check a condition every 25 ms until it returns a value; fail after `timeoutMs`. */
export async function waitFor<T>(check: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export async function loadRunRecords(handle: DatabaseHandle, runId: string) {
  const batches = await listBatches(handle.db, { runId });
  const calls = await listModelCalls(handle.db, { runId });
  return { batches, calls };
}

export function oneGroup(label: string, missing: string[] = ["impact"]): TestInput {
  return { groups: [{ label, items: [{ id: `${label}-1`, title: `Item of ${label}`, missing }] }] };
}

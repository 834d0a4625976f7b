import type { DatabaseEngine, DatabaseHandle } from "@/db/client";
import { getRunById } from "@/db/queries/runs";
import { insertUser } from "@/db/queries/users";
import { addMember, insertWorkspace } from "@/db/queries/workspaces";
import type { Run } from "@/db/schema";
import { seedDemoContent } from "@/db/seed/demo-content";
import { createGateway, type Gateway } from "@/lib/ai";
import { startSimulator } from "@/lib/ai/simulator/server";
import type { SimulatorHandle } from "@/lib/ai/simulator/types";
import type { Actor } from "@/lib/auth/actor";
import { feedbackSummaryTask, itemSuggestionsTask } from "@/lib/feedback/tasks";
import type { KnowledgeDeps } from "@/lib/knowledge/deps";
import { logger } from "@/lib/logger";
import { createWorkerId, type RenderTaskPrompt } from "@/lib/pipeline/deps";
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
 * The dashboard's model tasks on real components: a fresh database with part of the demo backlog
 * and its feedback, the model simulator over HTTP on 127.0.0.1, the repository's prompt files,
 * and a pipeline runtime with in-process workers.
 */
export interface DashboardHarness {
  handle: DatabaseHandle;
  simulator: SimulatorHandle;
  gateway: Gateway;
  runtime: PipelineRuntime;
  knowledge: KnowledgeDeps;
  actor: Actor;
  workspaceId: string;
  waitForRun(runId: string, timeoutMs?: number): Promise<Run>;
  close(): Promise<void>;
}

export interface DashboardHarnessOptions {
  /** Demo items seeded (A01 onwards), with their feedback. */
  items?: number;
  /** Wraps the prompt renderer, so a test can alter what the model receives. */
  wrapRenderer?: (render: RenderTaskPrompt) => RenderTaskPrompt;
}

export async function createDashboardHarness(
  engine: DatabaseEngine,
  options: DashboardHarnessOptions = {},
): Promise<DashboardHarness> {
  const handle = await createTestDatabase(engine);
  const simulator = await startSimulator({ host: "127.0.0.1", port: 0, ttftMs: 0, tokensPerSecond: 0 });
  const gateway = createGateway({
    provider: { kind: "simulator", url: simulator.url },
    maxRetries: 1,
    backoffBaseMs: 5,
    backoffMaxMs: 20,
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
    log: logger.child({ test: "dashboard-knowledge" }),
  };
  registerTasks(
    createPrioritizationTask({ retrieve: createKnowledgeRetriever(async () => knowledge) }),
    feedbackSummaryTask,
    itemSuggestionsTask,
  );

  const cache = new PromptCache();
  loadPromptCacheFromDefinitions(await readPromptDirectory(defaultPromptsDir), cache);
  const render = createPromptRenderer({ cache });
  const workerId = createWorkerId();
  const runtime = await createPipelineRuntime({
    handle,
    generate: (params) => gateway.generateChat(params),
    renderPrompt: options.wrapRenderer ? options.wrapRenderer(render) : render,
    settings: {
      runDefaults: { concurrency: 4, batchDeadlineSeconds: 60, maxRetries: 2 },
      maxBatchExecutions: 2,
      leaseSeconds: 30,
      workerRuns: 2,
      textCapChars: 200_000,
      eventsPollMs: 100,
    },
    workerId,
    log: logger.child({ component: "dashboard-test", workerId }),
  });
  await runtime.startWorkers();

  const user = await insertUser(handle.db, {
    email: `pm-${workerId.replace(/[^a-z0-9]/gi, "")}@example.test`,
    name: "Pat PM",
    passwordHash: "not-a-real-hash",
    role: "member",
  });
  const workspace = await insertWorkspace(handle.db, { name: "Dashboard tests" });
  await addMember(handle.db, { workspaceId: workspace.id, userId: user.id });
  await seedDemoContent(handle.db, { workspaceId: workspace.id, userId: user.id, limit: options.items ?? 12 });
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
    knowledge,
    actor,
    workspaceId: workspace.id,
    waitForRun: (runId, timeoutMs = 30_000) =>
      waitFor(async () => {
        const row = await getRunById(handle.db, { runId });
        return row && ["completed", "partial", "failed", "cancelled"].includes(row.status) ? row : undefined;
      }, timeoutMs),
    close: async () => {
      await runtime.stop();
      await closeRunNotifier(handle);
      await gateway.close();
      await simulator.close();
      await handle.close();
    },
  };
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

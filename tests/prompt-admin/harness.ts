import type { DatabaseEngine, DatabaseHandle } from "@/db/client";
import { insertUser } from "@/db/queries/users";
import { addMember, insertWorkspace } from "@/db/queries/workspaces";
import { apiToken, type UserRole } from "@/db/schema";
import { createGateway, type Gateway } from "@/lib/ai";
import { startSimulator } from "@/lib/ai/simulator/server";
import type { SimulatorHandle } from "@/lib/ai/simulator/types";
import { generateApiToken } from "@/lib/auth/tokens";
import { logger } from "@/lib/logger";
import { createWorkerId, type PipelineSettings } from "@/lib/pipeline/deps";
import { closeRunNotifier } from "@/lib/pipeline/notifier";
import { createPromptRenderer } from "@/lib/pipeline/prompt";
import { createPipelineRuntime, type PipelineRuntime } from "@/lib/pipeline/runtime";
import { registerTasks } from "@/lib/pipeline/task";
import { seedPromptTests } from "@/lib/prompt-admin/test-cases";
import { promptTestTasks } from "@/lib/prompt-admin/test-task";
import { loadPromptCache, PromptCache } from "@/lib/prompts/cache";
import { importPromptDefinitions } from "@/lib/prompts/file-sync";
import { defaultPromptsDir, readPromptDirectory } from "@/lib/prompts/files";
import { createTestDatabase } from "@/lib/testing/database";

/**
 * Prompt admin tests on real components: a fresh database holding the shipped prompts and their
 * seeded test cases, the model simulator over HTTP on 127.0.0.1 with fine-tuning jobs that move
 * every 50 ms, a gateway pointed at it, a pipeline runtime with in-process workers, and one user
 * per role with a personal access token.
 */

export type RoleName = "admin" | "editor" | "member" | "viewer";

export interface TestUser {
  userId: string;
  role: UserRole;
  headers: Record<string, string>;
}

export interface PromptAdminHarness {
  handle: DatabaseHandle;
  simulator: SimulatorHandle;
  gateway: Gateway;
  runtime: PipelineRuntime;
  workspaceId: string;
  users: Record<RoleName, TestUser>;
  close(): Promise<void>;
}

const settings: PipelineSettings = {
  runDefaults: { concurrency: 4, batchDeadlineSeconds: 60, maxRetries: 2 },
  maxBatchExecutions: 2,
  leaseSeconds: 30,
  workerRuns: 2,
  textCapChars: 200_000,
  eventsPollMs: 100,
};

let userCounter = 0;

export async function createPromptAdminHarness(engine: DatabaseEngine): Promise<PromptAdminHarness> {
  registerTasks(...promptTestTasks);
  const handle = await createTestDatabase(engine);
  await importPromptDefinitions(handle.db, await readPromptDirectory(defaultPromptsDir), { publish: true });
  await seedPromptTests(handle.db);

  const simulator = await startSimulator({ host: "127.0.0.1", port: 0, ttftMs: 0, latencyMs: 0, fineTuningStepMs: 50 });
  const gateway = createGateway({
    provider: { kind: "simulator", url: simulator.url },
    maxRetries: 1,
    backoffBaseMs: 5,
    backoffMaxMs: 20,
  });
  const cache = new PromptCache();
  await loadPromptCache(handle.db, cache);
  const workerId = createWorkerId();
  const runtime = await createPipelineRuntime({
    handle,
    generate: (params) => gateway.generateChat(params),
    renderPrompt: createPromptRenderer({ cache }),
    settings,
    workerId,
    log: logger.child({ component: "prompt-admin-test", workerId }),
  });
  await runtime.startWorkers();

  const workspace = await insertWorkspace(handle.db, { name: "Prompt admin tests" });
  const users = {} as Record<RoleName, TestUser>;
  for (const role of ["admin", "editor", "member", "viewer"] as const) {
    users[role] = await createTokenUser(handle, { workspaceId: workspace.id, role });
  }

  return {
    handle,
    simulator,
    gateway,
    runtime,
    workspaceId: workspace.id,
    users,
    close: async () => {
      await runtime.stop();
      await closeRunNotifier(handle);
      await gateway.close();
      await simulator.close();
      await handle.close();
    },
  };
}

async function createTokenUser(
  handle: DatabaseHandle,
  params: { workspaceId: string; role: UserRole },
): Promise<TestUser> {
  userCounter += 1;
  const user = await insertUser(handle.db, {
    email: `${params.role}${userCounter}-${Date.now()}@example.test`,
    name: `${params.role} ${userCounter}`,
    passwordHash: "not-a-real-hash",
    role: params.role,
  });
  await addMember(handle.db, { workspaceId: params.workspaceId, userId: user.id });
  const { token, tokenHash, prefix } = generateApiToken();
  await handle.db.insert(apiToken).values({ userId: user.id, name: "tests", tokenHash, prefix });
  return { userId: user.id, role: params.role, headers: { authorization: `Bearer ${token}` } };
}

/** Poll `check` every 20 ms until it returns a value; fail after `timeoutMs`. */
export async function waitFor<T>(check: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Build the `context` argument of a Next.js route handler. */
export function routeContext<Params extends Record<string, string>>(params: Params) {
  return { params: Promise.resolve(params) };
}

export const BASE_URL = "http://127.0.0.1/api/admin/prompts";

export function jsonRequest(url: string, method: string, headers: Record<string, string>, body?: unknown): Request {
  return new Request(url, {
    method,
    headers: { ...headers, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

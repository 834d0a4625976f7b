/**
 * Fan-out benchmark: one run of 8 batches against the model simulator (its own process, on
 * 127.0.0.1) at a fixed 1.5 s latency per request, executed with concurrency 8 and then 1. The
 * database is in-memory PGlite, or Postgres when DATABASE_URL is set.
 *
 *   npx tsx bench/fanout.ts
 *
 * A first parallel run warms the process up and is not reported. The JSON output gives, per
 * concurrency, the run's execution time (first claim to final status, from database timestamps),
 * the end-to-end time (from starting the run to seeing it finished) and the slowest batch. It
 * then gives the ratio of the parallel run to its slowest batch, and the speed-up.
 */
import { openDatabase } from "@/db/open";
import { getRunById, listBatches } from "@/db/queries/runs";
import { insertUser } from "@/db/queries/users";
import { addMember, insertWorkspace } from "@/db/queries/workspaces";
import { createGateway } from "@/lib/ai";
import type { Actor } from "@/lib/auth/actor";
import { getEnv } from "@/lib/env";
import { logger } from "@/lib/logger";
import { createWorkerId } from "@/lib/pipeline/deps";
import { closeRunNotifier } from "@/lib/pipeline/notifier";
import { createPromptRenderer } from "@/lib/pipeline/prompt";
import { createPipelineRuntime, type PipelineRuntime } from "@/lib/pipeline/runtime";
import { startRun } from "@/lib/pipeline/service";
import { registerTasks } from "@/lib/pipeline/task";
import { loadPromptCacheFromDefinitions, PromptCache } from "@/lib/prompts/cache";
import { TEST_TASK_KIND, type TestInput, testPrompts, testTask } from "@/tests/pipeline/test-task";
import { startSimulatorProcess } from "./simulator-process";

const BATCHES = 8;
const LATENCY_MS = 1500;

const input: TestInput = {
  groups: Array.from({ length: BATCHES }, (_, index) => ({
    label: `bench-${index + 1}`,
    items: [{ id: `B${index + 1}`, title: `Benchmark item ${index + 1}`, missing: ["impact", "effort"] }],
  })),
};

interface Measurement {
  concurrency: number;
  executionMs: number;
  endToEndMs: number;
  slowestBatchMs: number;
}

async function measure(runtime: PipelineRuntime, actor: Actor, workspaceId: string, concurrency: number) {
  const db = runtime.deps.handle.db;
  const startedAt = performance.now();
  const run = await startRun(runtime, {
    actor,
    workspaceId,
    kind: TEST_TASK_KIND,
    input,
    language: "en",
    options: { concurrency, batchDeadlineSeconds: 120 },
  });

  let finished = await getRunById(db, { runId: run.id });
  while (finished?.status !== "completed") {
    if (finished && ["partial", "failed", "cancelled"].includes(finished.status)) {
      throw new Error(`benchmark run ended ${finished.status}; expected completed`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
    finished = await getRunById(db, { runId: run.id });
  }
  const endToEndMs = performance.now() - startedAt;

  const batches = await listBatches(db, { runId: run.id });
  const durations = batches.map((batch) => elapsed(batch.startedAt, batch.finishedAt));
  return {
    concurrency,
    executionMs: elapsed(finished.startedAt, finished.finishedAt),
    endToEndMs: Math.round(endToEndMs),
    slowestBatchMs: Math.max(...durations),
  } satisfies Measurement;
}

function elapsed(from: Date | null, to: Date | null): number {
  if (!from || !to) throw new Error("a timestamp is missing");
  return new Date(to).getTime() - new Date(from).getTime();
}

async function main(): Promise<void> {
  const databaseUrl = getEnv().DATABASE_URL;
  const handle = await openDatabase({ url: databaseUrl });
  const simulator = await startSimulatorProcess({ "latency-ms": LATENCY_MS, "ttft-ms": 0, "tokens-per-second": 0 });
  const gateway = createGateway({ provider: { kind: "simulator", url: simulator.url }, concurrency: BATCHES });
  const cache = new PromptCache();
  loadPromptCacheFromDefinitions(testPrompts, cache);
  registerTasks(testTask);

  const workerId = createWorkerId();
  const runtime = await createPipelineRuntime({
    handle,
    generate: (params) => gateway.generateChat(params),
    renderPrompt: createPromptRenderer({ cache }),
    settings: {
      runDefaults: { concurrency: BATCHES, batchDeadlineSeconds: 120, maxRetries: 3 },
      maxBatchExecutions: 2,
      leaseSeconds: 30,
      workerRuns: 1,
      textCapChars: 200_000,
      eventsPollMs: 1000,
    },
    workerId,
    log: logger.child({ component: "bench" }),
  });
  await runtime.startWorkers();

  const user = await insertUser(handle.db, {
    email: `bench-${Date.now()}@example.com`,
    name: "Bench",
    passwordHash: "x",
    role: "member",
  });
  const workspace = await insertWorkspace(handle.db, { name: "Benchmark" });
  await addMember(handle.db, { workspaceId: workspace.id, userId: user.id });
  const actor: Actor = {
    userId: user.id,
    email: user.email,
    name: user.name,
    role: "member",
    locale: null,
    via: "session",
  };

  try {
    // Warm-up: the first run loads modules and compiles code paths, which a measured run should not pay for.
    await measure(runtime, actor, workspace.id, BATCHES);
    const parallel = await measure(runtime, actor, workspace.id, BATCHES);
    const serial = await measure(runtime, actor, workspace.id, 1);
    const result = {
      benchmark: "fanout",
      batches: BATCHES,
      simulatorLatencyMs: LATENCY_MS,
      database: databaseUrl ? "postgres" : "pglite (in memory)",
      parallel,
      serial,
      parallelToSlowestBatch: round(parallel.executionMs / parallel.slowestBatchMs),
      speedup: round(serial.executionMs / parallel.executionMs),
    };
    console.log(JSON.stringify(result, null, 2));
  } finally {
    await runtime.stop();
    await closeRunNotifier(handle);
    await gateway.close();
    await simulator.stop();
    await handle.close();
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

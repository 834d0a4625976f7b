import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, expect, it } from "vitest";
import type { DatabaseEngine, DatabaseHandle } from "@/db/client";
import { openDatabase } from "@/db/open";
import { listBatches, listModelCalls } from "@/db/queries/runs";
import type { Run } from "@/db/schema";
import { logger } from "@/lib/logger";
import { createWorkerId } from "@/lib/pipeline/deps";
import { createPipelineRuntime } from "@/lib/pipeline/runtime";
import { registerBuiltInTasks } from "@/lib/pipeline/tasks";
import { startPrioritization } from "@/lib/prioritization/ai-runs";
import { createTestDatabase, describeEachEngine } from "@/lib/testing/database";
import {
  createBacklog,
  createWorkspaceWithUsers,
  findRunInconsistencies,
  reliabilitySettings,
  waitFor,
} from "./harness";

/**
 * A real worker process (`scripts/worker.ts`, the app's prompts and tasks, its in-process
 * simulator answering after 800 ms) is killed with SIGKILL while 10 prioritization runs of three
 * batches each are running, then a second worker is started on the same database. Every run
 * resumes, or, when a batch may start only once, ends with that batch `interrupted`; batches that
 * finished before the kill are kept as they were.
 */

const RUNS = 10;
const THEMES = ["Alpha", "Beta", "Gamma"];

interface LogLine {
  msg?: string;
  runId?: string;
  batchId?: string;
}

/** `npm run worker` as a child process whose JSON log lines are collected. */
class WorkerProcess {
  readonly lines: LogLine[] = [];
  private stderr = "";
  private readonly child: ChildProcess;
  readonly exited: Promise<number | null>;

  constructor(env: Record<string, string>) {
    // Node itself with the tsx loader, so SIGKILL reaches the worker and not a wrapper.
    this.child = spawn(process.execPath, ["--import", "tsx", "scripts/worker.ts"], {
      cwd: process.cwd(),
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let buffer = "";
    this.child.stdout?.on("data", (chunk: Buffer) => {
      buffer += chunk.toString();
      const parts = buffer.split("\n");
      buffer = parts.pop() ?? "";
      for (const line of parts) {
        if (line.startsWith("{")) this.lines.push(JSON.parse(line) as LogLine);
      }
    });
    this.child.stderr?.on("data", (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString()).slice(-3000);
    });
    this.exited = new Promise((resolve) => this.child.once("exit", (code) => resolve(code)));
  }

  logged(msg: string): LogLine[] {
    return this.lines.filter((line) => line.msg === msg);
  }

  async waitForLogs(msg: string, count: number, timeoutMs = 60_000): Promise<void> {
    try {
      await waitFor(
        async () => (this.logged(msg).length >= count ? true : undefined),
        timeoutMs,
        `${count} × "${msg}"`,
      );
    } catch (error) {
      const tail = this.lines.slice(-10).map((line) => JSON.stringify(line));
      throw new Error(`${(error as Error).message}; last lines:\n${tail.join("\n")}\n${this.stderr}`);
    }
  }

  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }
}

describeEachEngine("worker killed during 10 runs", (engine: DatabaseEngine) => {
  const workers: WorkerProcess[] = [];
  let tempDir: string | undefined;
  let postgres: DatabaseHandle | undefined;

  afterEach(async () => {
    for (const worker of workers) worker.kill("SIGKILL");
    await Promise.all(workers.map((worker) => worker.exited));
    workers.length = 0;
    await postgres?.close();
    postgres = undefined;
    if (tempDir) fs.rmSync(tempDir, { recursive: true, force: true });
    tempDir = undefined;
  });

  /** Queue the runs from this process, then leave the database to the workers. */
  async function queueRuns(): Promise<{
    runIds: string[];
    env: Record<string, string>;
    open: () => Promise<DatabaseHandle>;
  }> {
    let handle: DatabaseHandle;
    let env: Record<string, string>;
    let open: () => Promise<DatabaseHandle>;
    if (engine === "pglite") {
      tempDir = fs.mkdtempSync(path.join(os.tmpdir(), "rankwise-crash-"));
      const dataDir = path.join(tempDir, "pglite");
      handle = await openDatabase({ dataDir });
      env = { PGLITE_DATA_DIR: dataDir, DATABASE_URL: "" };
      open = () => openDatabase({ dataDir });
    } else {
      postgres = await createTestDatabase("postgres");
      handle = postgres;
      env = { DATABASE_URL: postgres.url as string };
      const shared = postgres;
      open = async () => ({ ...shared, close: async () => {} });
    }

    registerBuiltInTasks();
    const runtime = await createPipelineRuntime({
      handle,
      generate: async () => {
        throw new Error("this process only queues runs");
      },
      renderPrompt: async () => {
        throw new Error("this process only queues runs");
      },
      // One batch at a time per run, so each run has finished, running and pending batches at the kill.
      settings: { ...reliabilitySettings, runDefaults: { ...reliabilitySettings.runDefaults, concurrency: 1 } },
      workerId: createWorkerId(),
      log: logger.child({ test: "crash" }),
    });
    const { workspaceId, users } = await createWorkspaceWithUsers(handle, ["member"]);
    const userId = users.member as string;
    await createBacklog(handle, { workspaceId, actorId: userId, themes: THEMES, perTheme: 1 });
    const actor = {
      userId,
      email: "pm@example.test",
      name: "PM",
      role: "member" as const,
      locale: null,
      via: "session" as const,
    };
    const runIds: string[] = [];
    for (let index = 0; index < RUNS; index++) {
      // Every run proposes the same inputs again, so that each carries the same work.
      const body = { framework: "rice" as const, proposeAgain: true };
      const run = await startPrioritization(runtime, { actor, workspaceId, body });
      runIds.push(run.id);
    }
    await runtime.stop();
    if (engine === "pglite") await handle.close();
    return { runIds, env, open };
  }

  it.each([
    { maxExecutions: 2, outcome: "resumes every run" },
    { maxExecutions: 1, outcome: "ends the cut batches interrupted" },
  ])(
    "$outcome when a batch may start $maxExecutions times",
    async ({ maxExecutions }) => {
      const { runIds, env, open } = await queueRuns();
      const workerEnv = {
        ...env,
        AI_PROVIDER: "simulator",
        SIMULATOR_PORT: "0",
        SIMULATOR_LATENCY_MS: "800",
        SIMULATOR_TTFT_MS: "0",
        PIPELINE_LEASE_SECONDS: "2",
        PIPELINE_WORKER_RUNS: String(RUNS),
        PIPELINE_MAX_BATCH_EXECUTIONS: String(maxExecutions),
        LOG_LEVEL: "debug",
        NODE_ENV: "test",
      };

      const first = new WorkerProcess(workerEnv);
      workers.push(first);
      await first.waitForLogs("batch succeeded", RUNS);
      first.kill("SIGKILL");
      await first.exited;
      const keptBatchIds = new Set(first.logged("batch succeeded").map((line) => line.batchId));
      const finishedBeforeKill = first.logged("run finished").length;

      const second = new WorkerProcess(workerEnv);
      workers.push(second);
      await second.waitForLogs("run finished", RUNS - finishedBeforeKill, 90_000);
      second.kill("SIGTERM");
      expect(await second.exited).toBe(0);

      const handle = await open();
      try {
        const { getRunById } = await import("@/db/queries/runs");
        const runs = (await Promise.all(runIds.map((runId) => getRunById(handle.db, { runId })))) as Run[];
        const batches = (await Promise.all(runIds.map((runId) => listBatches(handle.db, { runId })))).flat();
        const calls = (await Promise.all(runIds.map((runId) => listModelCalls(handle.db, { runId })))).flat();
        const kept = batches.filter((batch) => keptBatchIds.has(batch.id));
        const interrupted = batches.filter((batch) => batch.status === "interrupted");
        const problems = (await Promise.all(runIds.map((runId) => findRunInconsistencies(handle, runId)))).flat();

        expect(problems).toEqual([]);
        expect(kept).toHaveLength(keptBatchIds.size);
        expect(kept.every((batch) => batch.status === "succeeded" && batch.executions === 1)).toBe(true);
        expect(calls.filter((call) => keptBatchIds.has(call.batchId)).every((call) => call.execution === 1)).toBe(true);
        expect(batches.every((batch) => batch.status === "succeeded" || batch.status === "interrupted")).toBe(true);
        if (maxExecutions > 1) {
          expect(runs.map((run) => run.status)).toEqual(runIds.map(() => "completed"));
          expect(interrupted).toHaveLength(0);
        } else {
          expect(interrupted.length).toBeGreaterThan(0);
          expect(interrupted.every((batch) => batch.error?.code === "interrupted")).toBe(true);
          for (const run of runs) {
            const own = batches.filter((batch) => batch.runId === run.id);
            const expected = own.some((batch) => batch.status === "interrupted")
              ? ["partial", "failed"]
              : ["completed"];
            expect(expected).toContain(run.status);
          }
        }
      } finally {
        await handle.close();
      }
    },
    180_000,
  );
});

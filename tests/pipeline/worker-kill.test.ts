import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, expect, it } from "vitest";
import type { DatabaseEngine, DatabaseHandle } from "@/db/client";
import { openDatabase } from "@/db/open";
import { insertUser } from "@/db/queries/users";
import { addMember, insertWorkspace } from "@/db/queries/workspaces";
import { logger } from "@/lib/logger";
import { createWorkerId } from "@/lib/pipeline/deps";
import { createPipelineRuntime } from "@/lib/pipeline/runtime";
import { startRun } from "@/lib/pipeline/service";
import { registerTasks } from "@/lib/pipeline/task";
import { createTestDatabase, describeEachEngine } from "@/lib/testing/database";
import { loadRunRecords, testSettings, waitFor } from "./harness";
import { TEST_TASK_KIND, type TestInput, testTask } from "./test-task";

const input: TestInput = {
  groups: ["one", "two", "three", "four"].map((label) => ({
    label: `kill-${label}`,
    items: [{ id: `${label}-1`, title: `Item ${label}`, missing: ["impact"] }],
  })),
};

/** A worker child process whose JSON log lines are collected as they arrive. */
class WorkerChild {
  readonly lines: Array<{ msg?: string; status?: string }> = [];
  stderr = "";
  readonly exited: Promise<number | null>;
  private readonly child: ChildProcess;

  constructor(env: Record<string, string>) {
    // Node itself with the tsx loader, so that a signal reaches the worker and not a wrapper process.
    this.child = spawn(process.execPath, ["--import", "tsx", "tests/pipeline/worker-child.ts"], {
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
        try {
          this.lines.push(JSON.parse(line));
        } catch {
          // Not a log line (npx notices); ignored.
        }
      }
    });
    this.child.stderr?.on("data", (chunk: Buffer) => {
      this.stderr += chunk.toString();
    });
    this.exited = new Promise((resolve) => this.child.on("exit", (code) => resolve(code)));
  }

  count(msg: string): number {
    return this.lines.filter((line) => line.msg === msg).length;
  }

  async waitForLog(msg: string, timeoutMs = 60_000): Promise<void> {
    try {
      await waitFor(async () => (this.count(msg) > 0 ? true : undefined), timeoutMs);
    } catch (error) {
      const tail = this.lines.slice(-15).map((line) => JSON.stringify(line));
      throw new Error(`worker never logged "${msg}"; last lines:\n${tail.join("\n")}\n${this.stderr.slice(-2000)}`, {
        cause: error,
      });
    }
  }

  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }
}

describeEachEngine("worker killed mid-run", (engine: DatabaseEngine) => {
  const children: WorkerChild[] = [];
  let dataDir: string | undefined;

  afterEach(async () => {
    for (const child of children) child.kill("SIGKILL");
    await Promise.all(children.map((child) => child.exited));
    children.length = 0;
    if (dataDir) fs.rmSync(path.dirname(dataDir), { recursive: true, force: true });
  });

  /** Create a queued run of four batches, then release the database for the child processes. */
  async function queueRun(): Promise<{
    runId: string;
    env: Record<string, string>;
    open: () => Promise<DatabaseHandle>;
  }> {
    let handle: DatabaseHandle;
    let env: Record<string, string>;
    let open: () => Promise<DatabaseHandle>;
    if (engine === "pglite") {
      dataDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "rankwise-kill-")), "pglite");
      const dir = dataDir;
      handle = await openDatabase({ dataDir: dir });
      env = { PGLITE_DATA_DIR: dir, DATABASE_URL: "" };
      open = () => openDatabase({ dataDir: dir });
    } else {
      const created = await createTestDatabase("postgres");
      handle = created;
      env = { DATABASE_URL: created.url as string };
      open = async () => created;
    }

    registerTasks(testTask);
    const runtime = await createPipelineRuntime({
      handle,
      generate: async () => {
        throw new Error("the parent process never calls the model");
      },
      renderPrompt: async () => {
        throw new Error("the parent process never renders prompts");
      },
      settings: testSettings,
      workerId: createWorkerId(),
      log: logger,
    });
    const user = await insertUser(handle.db, {
      email: "kill@example.com",
      name: "PM",
      passwordHash: "x",
      role: "member",
    });
    const workspace = await insertWorkspace(handle.db, { name: "Kill test" });
    await addMember(handle.db, { workspaceId: workspace.id, userId: user.id });
    const actor = {
      userId: user.id,
      email: user.email,
      name: user.name,
      role: "member" as const,
      locale: null,
      via: "session" as const,
    };
    const run = await startRun(runtime, {
      actor,
      workspaceId: workspace.id,
      kind: TEST_TASK_KIND,
      input,
      language: "en",
      options: { concurrency: 1 },
    });
    await runtime.stop();
    if (engine === "pglite") await handle.close();
    return { runId: run.id, env, open };
  }

  it("ends completed with every finished batch kept", async () => {
    const { runId, env, open } = await queueRun();
    const childEnv = {
      ...env,
      AI_PROVIDER: "simulator",
      SIMULATOR_PORT: "0",
      SIMULATOR_LATENCY_MS: "700",
      PIPELINE_LEASE_SECONDS: "2",
      LOG_LEVEL: "debug",
      NODE_ENV: "test",
    };

    const first = new WorkerChild(childEnv);
    children.push(first);
    await first.waitForLog("batch succeeded", 30_000);
    first.kill("SIGKILL");
    await first.exited;
    const succeededBeforeKill = first.count("batch succeeded");

    const second = new WorkerChild(childEnv);
    children.push(second);
    await second.waitForLog("run finished");
    second.kill("SIGTERM");
    expect(await second.exited).toBe(0);

    const handle = await open();
    try {
      const { getRunById } = await import("@/db/queries/runs");
      const run = await getRunById(handle.db, { runId });
      const { batches, calls } = await loadRunRecords(handle, runId);
      const keptBatches = batches.filter((batch) => batch.executions === 1 && batch.status === "succeeded");
      const rerun = batches.filter((batch) => batch.executions === 2);

      expect(run?.status).toBe("completed");
      expect(batches.map((batch) => batch.status)).toEqual(["succeeded", "succeeded", "succeeded", "succeeded"]);
      expect(succeededBeforeKill).toBeGreaterThanOrEqual(1);
      expect(keptBatches.length).toBeGreaterThanOrEqual(succeededBeforeKill);
      // Only a batch in flight at the kill runs twice; the kill may also fall between two batches.
      expect(rerun.length).toBeLessThanOrEqual(1);
      expect(calls.filter((call) => call.batchId === batches[0]?.id)).toHaveLength(1);
      expect(run?.executions).toBeGreaterThanOrEqual(2);
    } finally {
      await handle.close();
    }
  }, 120_000);
});

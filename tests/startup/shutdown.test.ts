import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";

/**
 * `register()` of `instrumentation.ts` runs in a child process, as `next dev` and `next start` call
 * it. A configuration error exits with code 1 and its message. After a full start on a fresh PGlite
 * folder, SIGTERM and SIGINT are logged, stop the services and exit with 128 + the signal number.
 */

interface LogLine {
  msg?: string;
  signal?: string;
}

const LOG_TIMEOUT_MS = 90_000;

class ServerChild {
  readonly lines: LogLine[] = [];
  /** The same lines as printed, for checks that parsing would hide, such as repeated keys. */
  readonly rawLines: string[] = [];
  readonly exited: Promise<number | null>;
  stderr = "";
  private readonly child: ChildProcess;
  private readonly waiters = new Set<() => void>();
  private closed = false;

  constructor(env: Record<string, string>) {
    // Node itself with the tsx loader, so signals reach the server code and not a wrapper process.
    this.child = spawn(process.execPath, ["--import", "tsx", "tests/startup/server-child.ts"], {
      cwd: process.cwd(),
      env: { ...process.env, NEXT_RUNTIME: "nodejs", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let buffer = "";
    this.child.stdout?.on("data", (chunk: Buffer) => {
      buffer += chunk.toString();
      const parts = buffer.split("\n");
      buffer = parts.pop() ?? "";
      for (const line of parts) {
        if (!line.startsWith("{")) continue;
        this.rawLines.push(line);
        this.lines.push(JSON.parse(line) as LogLine);
      }
      this.notify();
    });
    this.child.stderr?.on("data", (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString()).slice(-5000);
    });
    // "close" and not "exit": it comes after the last output has been read.
    this.exited = new Promise((resolve) =>
      this.child.once("close", (code) => {
        this.closed = true;
        resolve(code);
        this.notify();
      }),
    );
  }

  indexOf(msg: string): number {
    return this.lines.findIndex((line) => line.msg === msg);
  }

  /** Resolve when a log line with this message arrives; reject when the process exits first or on timeout. */
  waitForLog(msg: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => finish(new Error(`no "${msg}" log line within ${LOG_TIMEOUT_MS} ms`)),
        LOG_TIMEOUT_MS,
      );
      const finish = (error?: Error) => {
        clearTimeout(timer);
        this.waiters.delete(check);
        if (!error) return resolve();
        const tail = this.lines.slice(-10).map((line) => JSON.stringify(line));
        reject(new Error(`${error.message}\n${tail.join("\n")}\n${this.stderr}`));
      };
      const check = () => {
        if (this.indexOf(msg) >= 0) finish();
        else if (this.closed) finish(new Error(`the server exited before logging "${msg}"`));
      };
      this.waiters.add(check);
      check();
    });
  }

  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  private notify(): void {
    for (const check of [...this.waiters]) check();
  }
}

describe("server start-up and shutdown", () => {
  let server: ServerChild | undefined;
  let tempDir: string | undefined;

  afterEach(async () => {
    server?.kill("SIGKILL");
    await server?.exited;
    server = undefined;
    if (tempDir) fs.rmSync(tempDir, { recursive: true, force: true });
    tempDir = undefined;
  });

  function startServer(env: Record<string, string> = {}): ServerChild {
    tempDir = fs.mkdtempSync(path.join(os.tmpdir(), "rankwise-shutdown-"));
    server = new ServerChild({
      PGLITE_DATA_DIR: path.join(tempDir, "pglite"),
      DATABASE_URL: "",
      AI_PROVIDER: "simulator",
      SIMULATOR_PORT: "0",
      // The logger raises "info" to "warn" under NODE_ENV=test, which would hide the lines checked here.
      LOG_LEVEL: "debug",
      NODE_ENV: "test",
      ...env,
    });
    return server;
  }

  it("exits with code 1 on invalid configuration", async () => {
    const child = startServer({ LOG_LEVEL: "loud" });

    const exitCode = await child.exited;

    expect(exitCode).toBe(1);
    expect(child.stderr).toContain("Invalid configuration");
    expect(child.stderr).toContain("LOG_LEVEL");
  });

  it.each([
    ["SIGTERM", 143],
    ["SIGINT", 130],
  ] as const)("logs %s, stops the services and exits", async (signal, expectedCode) => {
    const child = startServer();
    await child.waitForLog("rankwise started");

    child.kill(signal);
    const exitCode = await child.exited;

    expect(exitCode).toBe(expectedCode);
    const stopping = child.lines.find((line) => line.msg === `rankwise stopping after ${signal}`);
    expect(stopping?.signal).toBe(signal);
    expect(child.indexOf("pipeline runtime stopped")).toBeGreaterThanOrEqual(0);
    expect(child.indexOf("knowledge indexer stopped")).toBeGreaterThanOrEqual(0);
    expect(child.indexOf("rankwise stopped")).toBeGreaterThan(child.indexOf("pipeline runtime stopped"));
    expect(child.indexOf("rankwise stopped")).toBeGreaterThan(child.indexOf("knowledge indexer stopped"));
    const pipelineLine = child.rawLines[child.indexOf("pipeline runtime stopped")] ?? "";
    expect(pipelineLine.match(/"workerId":/g)).toHaveLength(1);
    expect(pipelineLine.match(/"component":/g)).toHaveLength(1);
  });

  it("stops the services before an earlier listener exits", async () => {
    const child = startServer({ EARLIER_SIGNAL_LISTENER: "true" });
    await child.waitForLog("rankwise started");

    child.kill("SIGTERM");
    const exitCode = await child.exited;

    expect(exitCode).toBe(143);
    expect(child.indexOf("rankwise stopped")).toBeGreaterThanOrEqual(0);
    expect(child.indexOf("earlier listener")).toBeGreaterThan(child.indexOf("rankwise stopped"));
  });
});

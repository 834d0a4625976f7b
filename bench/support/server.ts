import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { openDatabase } from "@/db/open";
import { getUserByEmail } from "@/db/queries/users";
import { addMember, insertWorkspace } from "@/db/queries/workspaces";
import { apiToken } from "@/db/schema";
import { seedDemo } from "@/db/seed/demo";
import { generateApiToken } from "@/lib/auth/tokens";
import { importBacklogCsv } from "@/lib/backlog/import";
import { startSimulatorProcess } from "../simulator-process";

/**
 * A production Rankwise server for the benchmarks: `next build` output served by `next start` on
 * 127.0.0.1, PGlite in a temporary folder, and the model simulator (`scripts/sim.ts`) in its own
 * process, reached as an OpenAI-compatible server.
 * Callers hold the build lock (see `holdBuildLock`) for as long as they build or serve.
 */

/** Secret of the throwaway benchmark server only. */
export const BENCH_AUTH_SECRET = "bench-only-secret-bench-only-secret-0000";
export const BENCH_PM = { email: "pm@rankwise.test", password: "rankwise-pm" };
export const LARGE_BACKLOG_ITEMS = 1000;

export interface SimulatorLatency {
  /** Delay before the first token, in milliseconds. */
  ttftMs: number;
  /** Output pace after the first token; 0 sends the whole answer at once. */
  tokensPerSecond: number;
  /** Delay before any response starts, in milliseconds. */
  latencyMs: number;
}

export interface PreparedData {
  dataDir: string;
  /** The demo workspace (about 60 items, with feedback documents). */
  demoWorkspaceId: string;
  /** A workspace of LARGE_BACKLOG_ITEMS items; every fourth item lacks its RICE effort. */
  largeWorkspaceId: string;
  /** Ids of the large workspace's items that lack an input, so AI runs have work. */
  incompleteItemIds: string[];
  /** Personal access token of the demo PM, member of both workspaces. */
  token: string;
}

export interface BenchServer {
  url: string;
  pid: number;
  simulatorUrl: string;
  probeUrl: string;
  stop(): Promise<void>;
}

const repositoryRoot = path.resolve(import.meta.dirname, "..", "..");

/**
 * Re-run this script under `flock` on the shared build lock unless it already runs under it, so a
 * benchmark never builds or serves while another engineer's build or Playwright run does.
 * Returns only in the process that holds the lock.
 */
export function holdBuildLock(): void {
  if (process.env.RANKWISE_BUILD_LOCK_HELD === "1") return;
  const result = spawnSync(
    "flock",
    ["/tmp/rankwise-build.lock", process.execPath, ...process.execArgv, ...process.argv.slice(1)],
    { stdio: "inherit", env: { ...process.env, RANKWISE_BUILD_LOCK_HELD: "1" }, cwd: repositoryRoot },
  );
  process.exit(result.status ?? 1);
}

/** `next build` of the working tree; takes about a minute on two cores. */
export function buildProductionApp(): void {
  const result = spawnSync(process.execPath, [nextBin(), "build"], {
    cwd: repositoryRoot,
    env: { ...process.env, AUTH_SECRET: BENCH_AUTH_SECRET, NEXT_TELEMETRY_DISABLED: "1" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  if (result.status !== 0) throw new Error(`next build failed with exit code ${result.status}`);
}

function nextBin(): string {
  return path.join(repositoryRoot, "node_modules", "next", "dist", "bin", "next");
}

export async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** CSV of `count` items in a few themes; every fourth item leaves its RICE effort empty. */
function largeBacklogCsv(count: number): string {
  const themes = ["Export", "Search", "Billing", "Onboarding", "Reporting", "Integrations", "Mobile", "Admin"];
  const impacts = [0.25, 0.5, 1, 2, 3];
  const confidences = [50, 80, 100];
  const lines = ["id,title,description,theme,reach,impact,confidence,effort"];
  for (let index = 1; index <= count; index++) {
    const effort = index % 4 === 0 ? "" : String((index % 12) + 1);
    lines.push(
      [
        `L${String(index).padStart(4, "0")}`,
        `Benchmark item ${index}`,
        `Generated item ${index} of the benchmark backlog.`,
        themes[index % themes.length],
        String(((index * 37) % 5000) + 10),
        String(impacts[index % impacts.length]),
        String(confidences[index % confidences.length]),
        effort,
      ].join(","),
    );
  }
  return `${lines.join("\n")}\n`;
}

/**
 * Create the server's database before it starts: the demo seed, a large workspace for the PM and a
 * token for the PM. Done in this process because a PGlite folder admits one process at a time.
 */
export async function prepareData(): Promise<PreparedData> {
  const dataDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "rankwise-bench-")), "pglite");
  const handle = await openDatabase({ dataDir });
  try {
    const seeded = await seedDemo(handle.db);
    if (!seeded) throw new Error("the benchmark database was not empty");
    const pm = await getUserByEmail(handle.db, { email: BENCH_PM.email });
    if (!pm) throw new Error(`the demo account ${BENCH_PM.email} is missing`);

    const large = await insertWorkspace(handle.db, { name: `Benchmark backlog (${LARGE_BACKLOG_ITEMS} items)` });
    await addMember(handle.db, { workspaceId: large.id, userId: pm.id });
    await importBacklogCsv(handle.db, {
      workspaceId: large.id,
      actorId: pm.id,
      csv: largeBacklogCsv(LARGE_BACKLOG_ITEMS),
    });
    const { executeRows } = await import("@/db/client");
    const { sql } = await import("drizzle-orm");
    const incomplete = await executeRows<{ id: string }>(
      handle.db,
      sql`select id from backlog_item where workspace_id = ${large.id} and external_id like 'L%' and (substring(external_id from 2)::int % 4) = 0 order by number`,
    );

    const { token, tokenHash, prefix } = generateApiToken();
    await handle.db.insert(apiToken).values({ userId: pm.id, name: "benchmarks", tokenHash, prefix });
    return {
      dataDir,
      demoWorkspaceId: seeded.workspaceId,
      largeWorkspaceId: large.id,
      incompleteItemIds: incomplete.map((row) => row.id),
      token,
    };
  } finally {
    await handle.close();
  }
}

export function removeDataDir(data: PreparedData): void {
  fs.rmSync(path.dirname(data.dataDir), { recursive: true, force: true });
}

/** Start `next start` on the prepared data and wait until it is healthy and has embedded the documents. */
export async function startBenchServer(data: PreparedData, latency: SimulatorLatency): Promise<BenchServer> {
  const [port, probePort] = [await findFreePort(), await findFreePort()];
  const url = `http://127.0.0.1:${port}`;
  // The model runs in its own process, as a hosted model would: its token generation is not work
  // the app does, so it does not share the server's event loop.
  const simulator = await startSimulatorProcess({
    "ttft-ms": latency.ttftMs,
    "tokens-per-second": latency.tokensPerSecond,
    "latency-ms": latency.latencyMs,
    "fault-rate": 0,
  });
  // BENCH_SERVER_NODE_ARGS passes flags to the server's Node.js only, such as `--cpu-prof`.
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? "").split(" ").filter(Boolean);
  const child = spawn(
    process.execPath,
    [...nodeArgs, nextBin(), "start", "--port", String(port), "--hostname", "127.0.0.1"],
    {
      cwd: repositoryRoot,
      env: serverEnv(data, simulator.url, probePort),
      stdio: ["ignore", "ignore", "pipe"],
    },
  );
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  try {
    await waitUntil(
      async () => (await fetch(`${url}/api/health`)).ok,
      120_000,
      () => child.exitCode !== null,
    );
    await waitForIndexing(url, data);
  } catch (error) {
    child.kill("SIGKILL");
    await simulator.stop();
    throw new Error(`the benchmark server did not start: ${(error as Error).message}\n${stderr}`);
  }

  return {
    url,
    pid: child.pid ?? 0,
    simulatorUrl: simulator.url,
    probeUrl: `http://127.0.0.1:${probePort}`,
    stop: async () => {
      await stopChild(child, exited);
      await simulator.stop();
    },
  };
}

function serverEnv(data: PreparedData, simulatorUrl: string, probePort: number): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: "production",
    NODE_OPTIONS: `--require ${path.join(import.meta.dirname, "probe.cjs")}`,
    BENCH_PROBE_PORT: String(probePort),
    AUTH_SECRET: BENCH_AUTH_SECRET,
    DATABASE_URL: "",
    PGLITE_DATA_DIR: data.dataDir,
    SEED_DEMO: "false",
    LOG_LEVEL: "error",
    NEXT_TELEMETRY_DISABLED: "1",
    AI_PROVIDER: "compatible",
    OPENAI_BASE_URL: `${simulatorUrl}/v1`,
    // Load generators send thousands of token requests a minute; the limit is not what is measured.
    API_RATE_LIMIT_PER_MINUTE: "100000",
    // Twenty runs execute at once instead of queueing behind the default two lanes.
    PIPELINE_WORKER_RUNS: "20",
    // The default cap of 8 requests per deployment would queue 200 chats; the figures are the
    // app's own overhead, not the wait in front of a rate-limited deployment.
    MODEL_CONCURRENCY: "256",
  };
}

async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}

/** Poll `check` every 100 ms until it returns true; throw after `timeoutMs` or when `failed` says so. */
export async function waitUntil(
  check: () => Promise<boolean>,
  timeoutMs: number,
  failed: () => boolean = () => false,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (failed()) throw new Error("the process exited");
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Wait until the demo feedback is embedded, so retrieval in chats does not race the indexer. */
async function waitForIndexing(url: string, data: PreparedData): Promise<void> {
  const headers = { authorization: `Bearer ${data.token}` };
  await waitUntil(async () => {
    const response = await fetch(`${url}/api/v1/workspaces/${data.demoWorkspaceId}/documents/indexing`, { headers });
    if (!response.ok) return false;
    const { job } = (await response.json()) as { job: { status: string } | null };
    return job?.status === "completed";
  }, 180_000);
}

/** Sign in through next-auth's credentials callback and return the Cookie header of the session. */
export async function signIn(url: string, account: { email: string; password: string }): Promise<string> {
  const csrf = await fetch(`${url}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const csrfCookie = cookiePairs(csrf.headers);
  const response = await fetch(`${url}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: csrfCookie },
    body: new URLSearchParams({ csrfToken, email: account.email, password: account.password, json: "true" }),
  });
  const session = cookiePairs(response.headers)
    .split("; ")
    .find((pair) => pair.startsWith("next-auth.session-token="));
  if (!session) throw new Error(`sign-in as ${account.email} failed with status ${response.status}`);
  return session;
}

function cookiePairs(headers: Headers): string {
  return headers
    .getSetCookie()
    .map((cookie) => cookie.split(";")[0])
    .join("; ");
}

export interface ProbeReading {
  pid: number;
  loopDelayMs: { p50: number; p99: number; max: number; samples: number };
  memory: NodeJS.MemoryUsage;
  cpuMicros: NodeJS.CpuUsage;
}

/** Read the server's event-loop delay, memory and CPU time; `reset` starts a new delay window. */
export async function readProbe(server: BenchServer, reset = false): Promise<ProbeReading> {
  const response = await fetch(`${server.probeUrl}/${reset ? "?reset=1" : ""}`);
  return (await response.json()) as ProbeReading;
}

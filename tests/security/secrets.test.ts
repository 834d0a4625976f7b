import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import readline from "node:readline";
import postgres from "postgres";
import { afterAll, beforeAll, expect, it } from "vitest";
import { getEnv } from "@/lib/env";

/**
 * The production build made with dummy secrets in its environment (session secret, OpenAI and
 * Azure keys, a database password) must carry none of them in the client bundle (`.next/static`)
 * and must return none of them from any API route or page, signed in or anonymous. The build and the server
 * run under the shared build lock. With TEST_DATABASE_URL the server uses Postgres through a URL
 * that carries the dummy password (the local server trusts loopback connections, so any password
 * works); without it the server uses PGlite and the password is only in the build's environment.
 */

const secrets = {
  AUTH_SECRET: `auth-secret-${randomBytes(16).toString("hex")}`,
  OPENAI_API_KEY: `sk-dummy-${randomBytes(16).toString("hex")}`,
  AZURE_OPENAI_API_KEY: `azure-dummy-${randomBytes(16).toString("hex")}`,
  databasePassword: `dbpass-${randomBytes(12).toString("hex")}`,
};

const repositoryRoot = process.cwd();
const nextBin = path.join(repositoryRoot, "node_modules", "next", "dist", "bin", "next");
const demoAdmin = { email: "admin@rankwise.test", password: "rankwise-admin" };

let lock: ChildProcess | undefined;
let server: ChildProcess | undefined;
let baseUrl = "";
let dropDatabase: (() => Promise<void>) | undefined;
let dataDir: string | undefined;

/** Take the shared build lock through flock; resolves once held, released by `releaseLock`. */
async function takeBuildLock(): Promise<void> {
  lock = spawn("flock", ["/tmp/rankwise-build.lock", "sh", "-c", "echo held; exec cat"], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  await new Promise<void>((resolve, reject) => {
    readline.createInterface({ input: lock?.stdout as NodeJS.ReadableStream }).once("line", () => resolve());
    lock?.once("exit", (code) => reject(new Error(`flock exited with ${code}`)));
  });
}

function releaseLock(): void {
  lock?.stdin?.end();
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: repositoryRoot, env, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-3000);
    });
    child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${args.join(" ")} failed:\n${stderr}`))));
  });
}

async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Create the server's database: a new Postgres database reached with the dummy password, or PGlite. */
async function prepareDatabaseEnv(): Promise<Record<string, string>> {
  const adminUrl = getEnv().TEST_DATABASE_URL;
  if (!adminUrl) {
    // A fresh clone has no .data folder yet.
    fs.mkdirSync(path.join(repositoryRoot, ".data"), { recursive: true });
    dataDir = fs.mkdtempSync(path.join(repositoryRoot, ".data", "secrets-"));
    return { DATABASE_URL: "", PGLITE_DATA_DIR: path.join(dataDir, "pglite") };
  }
  const name = `rankwise_secrets_${randomBytes(6).toString("hex")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  dropDatabase = async () => {
    const cleanup = postgres(adminUrl, { max: 1, onnotice: () => {} });
    await cleanup.unsafe(`drop database if exists ${name} with (force)`);
    await cleanup.end();
  };
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  url.password = secrets.databasePassword;
  return { DATABASE_URL: url.toString() };
}

function dummySecretEnv(databaseEnv: Record<string, string>): NodeJS.ProcessEnv {
  return {
    ...process.env,
    ...databaseEnv,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    AUTH_SECRET: secrets.AUTH_SECRET,
    OPENAI_API_KEY: secrets.OPENAI_API_KEY,
    AZURE_OPENAI_API_KEY: secrets.AZURE_OPENAI_API_KEY,
    // The keys are configured but unused: the model stays the in-process simulator.
    AI_PROVIDER: "simulator",
    SIMULATOR_PORT: "0",
    SEED_DEMO: "true",
    LOG_LEVEL: "error",
  };
}

async function waitForHealth(timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server?.exitCode !== null && server?.exitCode !== undefined) throw new Error("next start exited");
    const healthy = await fetch(`${baseUrl}/api/health`)
      .then((response) => response.ok)
      .catch(() => false);
    if (healthy) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`next start was not healthy within ${timeoutMs} ms`);
}

beforeAll(async () => {
  await takeBuildLock();
  const databaseEnv = await prepareDatabaseEnv();
  const buildDatabaseUrl =
    databaseEnv.DATABASE_URL || `postgres://rankwise:${secrets.databasePassword}@127.0.0.1:1/rankwise`;
  await run(process.execPath, [nextBin, "build"], dummySecretEnv({ ...databaseEnv, DATABASE_URL: buildDatabaseUrl }));

  const port = await findFreePort();
  baseUrl = `http://127.0.0.1:${port}`;
  server = spawn(process.execPath, [nextBin, "start", "--port", String(port), "--hostname", "127.0.0.1"], {
    cwd: repositoryRoot,
    env: dummySecretEnv(databaseEnv),
    stdio: "ignore",
  });
  await waitForHealth(120_000);
}, 15 * 60_000);

afterAll(async () => {
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server?.once("exit", resolve));
    server.kill("SIGTERM");
    await exited;
  }
  releaseLock();
  await dropDatabase?.();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

function leakedSecrets(text: string): string[] {
  return Object.entries(secrets)
    .filter(([, value]) => text.includes(value))
    .map(([name]) => name);
}

function listFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
}

async function signInCookie(): Promise<string> {
  const csrf = await fetch(`${baseUrl}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const cookies = csrf.headers.getSetCookie().map((cookie) => cookie.split(";")[0]);
  const response = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookies.join("; ") },
    body: new URLSearchParams({ csrfToken, ...demoAdmin, json: "true" }),
  });
  const session = response.headers.getSetCookie().find((cookie) => cookie.startsWith("next-auth.session-token="));
  if (!session) throw new Error(`sign-in as ${demoAdmin.email} failed with status ${response.status}`);
  return session.split(";")[0] as string;
}

it("keeps every secret out of the client bundle", () => {
  const files = listFiles(path.join(repositoryRoot, ".next", "static"));
  const leaks = files.flatMap((file) =>
    leakedSecrets(fs.readFileSync(file, "latin1")).map((name) => `${path.relative(repositoryRoot, file)}: ${name}`),
  );

  expect(files.length).toBeGreaterThan(10);
  expect(leaks).toEqual([]);
});

it("keeps every secret out of API responses and pages", async () => {
  const cookie = await signInCookie();
  const workspaceResponse = await fetch(`${baseUrl}/api/v1/runs?limit=1`, { headers: { cookie } });
  const home = await fetch(`${baseUrl}/`, { headers: { cookie } });
  const workspaceId = home.url.match(/\/w\/([0-9a-f-]{36})/)?.[1] ?? "";
  const paths = [
    "/api/health",
    "/api/auth/session",
    "/api/auth/providers",
    "/api/auth/csrf",
    "/api/v1/openapi.json",
    "/api/v1/tokens",
    "/api/v1/runs",
    "/api/admin/prompts",
    "/api/admin/prompts/prioritizer",
    "/api/admin/prompts/audit",
    `/api/v1/workspaces/${workspaceId}/items`,
    `/api/v1/workspaces/${workspaceId}/ranking`,
    `/api/v1/workspaces/${workspaceId}/documents`,
    `/api/v1/workspaces/${workspaceId}/prioritizations`,
    `/api/v1/workspaces/${workspaceId}/feedback/summaries`,
    "/api/v1/workspaces/00000000-0000-4000-8000-000000000000/items",
    "/api/does-not-exist",
    "/signin",
    "/admin",
    "/settings/tokens",
    `/w/${workspaceId}/backlog`,
    `/w/${workspaceId}/chat`,
    `/w/${workspaceId}/runs`,
  ];
  const leaks: string[] = [];
  const statuses: Record<string, number> = {};
  for (const requestPath of paths) {
    const headerSets: Array<Record<string, string>> = [{ cookie }, {}];
    for (const headers of headerSets) {
      const response = await fetch(`${baseUrl}${requestPath}`, { headers, redirect: "manual" });
      const text = `${JSON.stringify([...response.headers])}\n${await response.text()}`;
      if ("cookie" in headers) statuses[requestPath] = response.status;
      for (const name of leakedSecrets(text))
        leaks.push(`${requestPath}${"cookie" in headers ? "" : " (anonymous)"}: ${name}`);
    }
  }

  expect(workspaceResponse.status).toBe(200);
  expect(workspaceId).toMatch(/^[0-9a-f-]{36}$/);
  expect(statuses["/api/health"]).toBe(200);
  expect(statuses[`/w/${workspaceId}/backlog`]).toBe(200);
  expect(leaks).toEqual([]);
});

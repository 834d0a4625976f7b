/**
 * Benchmark: server-side latency of the backlog page for a 1,000-item workspace, against the
 * production build. Requests are sent one at a time on loopback, so each figure is the server's
 * own work: read the items and inputs, score every framework, rank, filter and render. The page
 * never calls a model. Prints JSON with, per case, the median and p95 time to the first byte and
 * to the end of the body, in milliseconds.
 *
 *   npx tsx bench/backlog-page.ts [--requests 60] [--skip-build]
 *   npx tsx bench/backlog-page.ts --url http://127.0.0.1:3000 --workspace <id> [--email … --password …]
 *
 * Without `--url` it builds the app (unless `--skip-build`), seeds a fresh PGlite database with
 * the demo and a 1,000-item workspace, and serves it with `next start`, under the build lock.
 * With `--url` it measures an already running server and workspace, signed in as the demo PM or
 * as the account of `--email` and `--password`.
 */
import os from "node:os";
import { parseArgs } from "node:util";
import { BENCH_PM, holdBuildLock, LARGE_BACKLOG_ITEMS, signIn } from "./support/server";
import { readCommonOptions, withBenchServer } from "./support/standalone";
import { latencySummary } from "./support/stats";

/** Requests sent before measuring, so compilation and caches do not count. */
const WARM_UP_REQUESTS = 5;

interface CaseResult {
  name: string;
  path: string;
  requests: number;
  bytes: number;
  firstByteMs: { p50: number; p95: number; max: number };
  totalMs: { p50: number; p95: number; max: number };
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

/** Send one GET and time the response headers and the last byte of the body, in milliseconds. */
async function timeRequest(url: string, cookie: string): Promise<{ firstByte: number; total: number; bytes: number }> {
  const started = performance.now();
  const response = await fetch(url, { headers: { cookie }, redirect: "manual" });
  const firstByte = performance.now() - started;
  const body = await response.text();
  const total = performance.now() - started;
  if (response.status !== 200) throw new Error(`GET ${url} returned status ${response.status}, expected 200`);
  if (!body.includes('id="ranked-heading"')) throw new Error(`GET ${url} did not render the ranking`);
  return { firstByte, total, bytes: body.length };
}

async function measureCase(base: string, cookie: string, name: string, path: string, requests: number) {
  for (let index = 0; index < WARM_UP_REQUESTS; index++) await timeRequest(`${base}${path}`, cookie);
  const firstBytes: number[] = [];
  const totals: number[] = [];
  let bytes = 0;
  for (let index = 0; index < requests; index++) {
    const sample = await timeRequest(`${base}${path}`, cookie);
    firstBytes.push(sample.firstByte);
    totals.push(sample.total);
    bytes = sample.bytes;
  }
  const summarize = (samples: number[]) => {
    const summary = latencySummary(samples);
    return { p50: round(summary.p50), p95: round(summary.p95), max: round(Math.max(...samples)) };
  };
  const result: CaseResult = {
    name,
    path,
    requests,
    bytes,
    firstByteMs: summarize(firstBytes),
    totalMs: summarize(totals),
  };
  return result;
}

async function measureWorkspace(base: string, cookie: string, workspaceId: string, requests: number) {
  const page = `/w/${workspaceId}/backlog`;
  const cases: Array<[string, string]> = [
    ["default framework, first page", page],
    ["WSJF, second page", `${page}?framework=wsjf&page=2`],
    ["search and filters", `${page}?search=item&missing=any&source=import`],
    // Loads and ranks the whole backlog but renders no row: the difference to the cases above is
    // the cost of rendering and sending the rows.
    ["search without a match", `${page}?search=no-such-item`],
  ];
  const results: CaseResult[] = [];
  for (const [name, path] of cases) results.push(await measureCase(base, cookie, name, path, requests));
  return results;
}

function readOptions() {
  const { values } = parseArgs({
    options: {
      requests: { type: "string", default: "60" },
      url: { type: "string" },
      workspace: { type: "string" },
      email: { type: "string", default: BENCH_PM.email },
      password: { type: "string", default: BENCH_PM.password },
    },
    strict: false,
  });
  const requests = Number(values.requests);
  if (!Number.isInteger(requests) || requests < 10) throw new Error("--requests must be a whole number of at least 10");
  if (values.url && !values.workspace) throw new Error("--url needs --workspace, the id of the workspace to measure");
  return {
    requests,
    url: values.url as string | undefined,
    workspace: values.workspace as string | undefined,
    account: { email: String(values.email), password: String(values.password) },
  };
}

function environment() {
  return { node: process.version, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? "unknown" };
}

async function main(): Promise<unknown> {
  const options = readOptions();
  if (options.url && options.workspace) {
    const cookie = await signIn(options.url, options.account);
    const cases = await measureWorkspace(options.url, cookie, options.workspace, options.requests);
    return { benchmark: "backlog-page", server: options.url, environment: environment(), cases };
  }

  holdBuildLock();
  return withBenchServer({ skipBuild: readCommonOptions().skipBuild }, async ({ server, data }) => {
    const cookie = await signIn(server.url, BENCH_PM);
    const cases = await measureWorkspace(server.url, cookie, data.largeWorkspaceId, options.requests);
    return {
      benchmark: "backlog-page",
      items: LARGE_BACKLOG_ITEMS,
      database: "pglite",
      environment: environment(),
      cases,
    };
  });
}

main()
  .then((result) => {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    process.exit(0);
  })
  .catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });

/**
 * Run-start benchmark: the latency of `POST /api/v1/runs` over HTTP on a production server
 * (`next build` + `next start`, PGlite, in-process workers), while the model simulator responds
 * to each request after 3 s, to show that starting a run never waits for the model. Every started
 * run prioritizes the demo workspace with RICE, so the workers stay busy during the measurement.
 *
 *   npx tsx bench/run-start.ts            (builds first; holds the shared build lock)
 *   npx tsx bench/run-start.ts --no-build (reuses the current .next build)
 *
 * Prints JSON with the median, p95, min and max of 50 starts after 5 warm-up starts, each timed
 * from sending the request to receiving the whole 202 response.
 */
import { buildProductionApp, holdBuildLock, prepareData, removeDataDir, startBenchServer } from "./support/server";
import { latencySummary, median, round } from "./support/stats";

const WARMUP = 5;
const SAMPLES = 50;
const MODEL_LATENCY_MS = 3000;

async function startRunOnce(url: string, token: string, workspaceId: string): Promise<number> {
  const startedAt = performance.now();
  const response = await fetch(`${url}/api/v1/runs`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ workspaceId, kind: "prioritization", language: "en", input: { framework: "rice" } }),
  });
  const body = await response.text();
  const elapsed = performance.now() - startedAt;
  if (response.status !== 202) throw new Error(`expected 202 from POST /api/v1/runs, got ${response.status}: ${body}`);
  return elapsed;
}

async function main(): Promise<void> {
  holdBuildLock();
  if (!process.argv.includes("--no-build")) buildProductionApp();

  const data = await prepareData();
  const server = await startBenchServer(data, { latencyMs: MODEL_LATENCY_MS, ttftMs: 0, tokensPerSecond: 0 });
  try {
    for (let index = 0; index < WARMUP; index++) await startRunOnce(server.url, data.token, data.demoWorkspaceId);
    const samples: number[] = [];
    for (let index = 0; index < SAMPLES; index++) {
      samples.push(await startRunOnce(server.url, data.token, data.demoWorkspaceId));
    }

    const summary = latencySummary(samples);
    console.log(
      JSON.stringify(
        {
          benchmark: "run-start",
          route: "POST /api/v1/runs over HTTP, bearer token",
          server: "next start, PGlite, workers in-process",
          simulatorLatencyMs: MODEL_LATENCY_MS,
          samples: summary.count,
          medianMs: round(median(samples)),
          p95Ms: round(summary.p95),
          minMs: round(Math.min(...samples)),
          maxMs: round(Math.max(...samples)),
        },
        null,
        2,
      ),
    );
  } finally {
    await server.stop();
    removeDataDir(data);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

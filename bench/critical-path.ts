/**
 * Benchmark 1 (critical path under AI load) and benchmark 7 (server memory), against the
 * production build: latency of the backlog page and of `GET /api/v1/workspaces/{id}/ranking` for
 * a 1,000-item workspace, idle and while 20 prioritization runs and 50 streaming chats are in
 * flight, measured with autocannon on loopback. The server's resident memory is read at rest and
 * at the end of each loaded phase.
 *
 *   npx tsx bench/critical-path.ts [--runs 3] [--skip-build]
 *
 * Prints JSON with, per repetition, the median and p95 latency of each endpoint in each phase, in
 * milliseconds, and the resident memory in MiB.
 */
import { type AiLoadStats, measureHttp, startAiLoad } from "./support/load";
import { BENCH_PM, readProbe, signIn } from "./support/server";
import { isMainModule, runServerBenchmarkAlone, type ServerContext } from "./support/standalone";
import { latencySummary } from "./support/stats";

/**
 * One measurement: one connection for 8 seconds, so each latency is the server's time for one
 * user's request and not a queue the load generator builds itself.
 */
export const CRITICAL_PATH_LOAD = { connections: 1, durationSeconds: 8 };
/**
 * The AI load: lanes start over 3 s (about one chat answer), and the measurement begins once every
 * lane has started and the load has run for another `settleMs`, so it sees the steady load and
 * not the first wave of arrivals.
 */
export const AI_LOAD = { runs: 20, chats: 50, rampMs: 3000, settleMs: 3000 };

export interface EndpointLatency {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  non2xx: number;
  errors: number;
}

export interface CriticalPathRepetition {
  idle: { page: EndpointLatency; ranking: EndpointLatency };
  loaded: { page: EndpointLatency; ranking: EndpointLatency };
  aiLoad: AiLoadStats;
  rssAtRestMiB: number;
  rssAfterLoadMiB: number;
}

const MIB = 1024 * 1024;

async function measureEndpoints(context: ServerContext, cookie: string) {
  const { server, data } = context;
  const page = await measureHttp({
    url: `${server.url}/w/${data.largeWorkspaceId}/backlog`,
    headers: { cookie },
    ...CRITICAL_PATH_LOAD,
  });
  const ranking = await measureHttp({
    url: `${server.url}/api/v1/workspaces/${data.largeWorkspaceId}/ranking`,
    headers: { authorization: `Bearer ${data.token}` },
    ...CRITICAL_PATH_LOAD,
  });
  const windowMs = CRITICAL_PATH_LOAD.durationSeconds * 1000;
  const summarize = (result: typeof page): EndpointLatency => {
    // Under heavy load a page can take longer than the whole window, so no response is timed. Its
    // latency is then at least the window, which is reported in place of no figure.
    const latency =
      result.samples.length > 0
        ? latencySummary(result.samples)
        : { count: 0, p50: windowMs, p95: windowMs, p99: windowMs };
    return { ...latency, non2xx: result.non2xx, errors: result.errors };
  };
  return { page: summarize(page), ranking: summarize(ranking) };
}

/** Measure one repetition: idle figures, then the same under AI load, with memory before and after. */
export async function measureCriticalPath(context: ServerContext): Promise<CriticalPathRepetition> {
  const cookie = await signIn(context.server.url, BENCH_PM);
  const rssAtRestMiB = (await readProbe(context.server)).memory.rss / MIB;
  const idle = await measureEndpoints(context, cookie);

  const load = startAiLoad(context.server, context.data, AI_LOAD);
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error("the AI load did not start within 60 s")), 60_000).unref(),
  );
  try {
    await Promise.race([load.ready, timeout]);
    await new Promise((resolve) => setTimeout(resolve, AI_LOAD.settleMs));
    const loaded = await measureEndpoints(context, cookie);
    const rssAfterLoadMiB = (await readProbe(context.server)).memory.rss / MIB;
    const aiLoad = await load.stop();
    return { idle, loaded, aiLoad, rssAtRestMiB, rssAfterLoadMiB };
  } catch (error) {
    await load.stop();
    throw error;
  }
}

if (isMainModule(import.meta.url)) {
  runServerBenchmarkAlone(async (context, runs) => {
    const repetitions: CriticalPathRepetition[] = [];
    for (let index = 0; index < runs; index++) repetitions.push(await measureCriticalPath(context));
    return { benchmark: "critical-path", latency: context.latency, load: CRITICAL_PATH_LOAD, repetitions };
  });
}

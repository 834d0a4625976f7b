/**
 * Benchmark 3 (streaming overhead), against the production build: time to first token of the chat
 * route at an HTTP client, minus the simulator's configured time to first token, with 1, 50 and
 * 200 chats in flight at once; and the server's event-loop delay p99 during each level, read by
 * the probe preloaded into the server.
 *
 *   npx tsx bench/chat-streaming.ts [--runs 3] [--skip-build] [--levels 1,50,200]
 *
 * Level 1 sends 30 questions one after the other, each answer read only to its first token. Levels
 * 50 and 200 keep that many chats in flight. The chats start spread over one answer's length, and
 * each sends the next question as soon as its answer ends. Once all have started, as many
 * questions as the level are timed. The client runs in a worker thread (`support/chat-lanes.ts`).
 * Bursts (every question at one instant) are measured by `chat-ttft.ts`. The added time covers Next.js routing, token authentication, the new conversation and its ranking
 * snapshot, the question's embedding (a simulator request without latency), the vector search and
 * the prompt rendering. Prints JSON; times in milliseconds.
 */
import { parseArgs } from "node:util";
import { runChatLanes } from "./support/chat-lanes";
import { askChat } from "./support/load";
import { readProbe } from "./support/server";
import { isMainModule, runServerBenchmarkAlone, type ServerContext } from "./support/standalone";
import { latencySummary } from "./support/stats";

export const STREAMING_LEVELS = [1, 50, 200] as const;
const SEQUENTIAL_QUESTIONS = 30;
const QUESTION = "Why is A01 ranked above A02?";

export interface StreamingLevel {
  concurrency: number;
  chats: number;
  ttftP50Ms: number;
  ttftP95Ms: number;
  addedP50Ms: number;
  addedP95Ms: number;
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  /** Server CPU time (user and system) per question of the steady phase, untimed ones included. */
  serverCpuPerChatMs: number;
}

async function measureLevel(context: ServerContext, concurrency: number, answerMs: number): Promise<StreamingLevel> {
  const { server, data, latency } = context;
  const target = { url: server.url, token: data.token, workspaceId: data.demoWorkspaceId, question: QUESTION };

  const before = await readProbe(server, true);
  const { timings: steady, sent } = await runChatLanes({
    ...target,
    mode: "steady",
    lanes: concurrency,
    requests: concurrency === 1 ? SEQUENTIAL_QUESTIONS : concurrency,
    spreadMs: answerMs,
    firstTokenOnly: concurrency === 1,
  });
  const probe = await readProbe(server, true);
  const cpuMicros = probe.cpuMicros.user + probe.cpuMicros.system - before.cpuMicros.user - before.cpuMicros.system;

  const ttft = latencySummary(steady.map((timing) => timing.ttftMs));
  return {
    concurrency,
    chats: steady.length,
    ttftP50Ms: ttft.p50,
    ttftP95Ms: ttft.p95,
    addedP50Ms: ttft.p50 - latency.ttftMs,
    addedP95Ms: ttft.p95 - latency.ttftMs,
    loopDelayP99Ms: probe.loopDelayMs.p99,
    loopDelayMaxMs: probe.loopDelayMs.max,
    serverCpuPerChatMs: cpuMicros / 1000 / sent,
  };
}

/** One repetition: a warm-up question that also times one answer, then each level in turn. */
export async function measureChatStreaming(
  context: ServerContext,
  concurrencies: readonly number[] = STREAMING_LEVELS,
): Promise<StreamingLevel[]> {
  const warmUp = await askChat(context.server, {
    token: context.data.token,
    workspaceId: context.data.demoWorkspaceId,
    question: QUESTION,
  });
  const levels: StreamingLevel[] = [];
  for (const concurrency of concurrencies) levels.push(await measureLevel(context, concurrency, warmUp.totalMs));
  return levels;
}

if (isMainModule(import.meta.url)) {
  runServerBenchmarkAlone(async (context, runs) => {
    const repetitions: StreamingLevel[][] = [];
    const { values } = parseArgs({ options: { levels: { type: "string" } }, strict: false });
    const levels = typeof values.levels === "string" ? values.levels.split(",").map(Number) : STREAMING_LEVELS;
    for (let index = 0; index < runs; index++) repetitions.push(await measureChatStreaming(context, levels));
    return { benchmark: "chat-streaming", latency: context.latency, repetitions };
  });
}

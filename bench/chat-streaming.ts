/**
 * Benchmark 3 (streaming overhead), against the production build: time to first token of the chat
 * route at an HTTP client, minus the simulator's configured time to first token, with 1, 50 and
 * 200 chats in flight at once; and the server's event-loop delay p99 during each level, read by
 * the probe preloaded into the server.
 *
 *   npx tsx bench/chat-streaming.ts [--runs 3] [--skip-build]
 *
 * Level 1 asks 10 questions one after the other; levels 50 and 200 send that many at once. The
 * added time covers Next.js routing, token authentication, the new conversation and its ranking
 * snapshot, the question's embedding (a simulator request without latency), the vector search and
 * the prompt rendering. Prints JSON; times in milliseconds.
 */
import { askChat } from "./support/load";
import { readProbe } from "./support/server";
import { isMainModule, runServerBenchmarkAlone, type ServerContext } from "./support/standalone";
import { latencySummary } from "./support/stats";

export const STREAMING_LEVELS = [1, 50, 200] as const;
const SEQUENTIAL_QUESTIONS = 10;
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
}

async function measureLevel(context: ServerContext, concurrency: number): Promise<StreamingLevel> {
  const { server, data, latency } = context;
  const ask = () => askChat(server, { token: data.token, workspaceId: data.demoWorkspaceId, question: QUESTION });

  await readProbe(server, true);
  const timings = [];
  if (concurrency === 1) {
    for (let index = 0; index < SEQUENTIAL_QUESTIONS; index++) timings.push(await ask());
  } else {
    timings.push(...(await Promise.all(Array.from({ length: concurrency }, ask))));
  }
  const probe = await readProbe(server, true);

  const ttft = latencySummary(timings.map((timing) => timing.ttftMs));
  return {
    concurrency,
    chats: timings.length,
    ttftP50Ms: ttft.p50,
    ttftP95Ms: ttft.p95,
    addedP50Ms: ttft.p50 - latency.ttftMs,
    addedP95Ms: ttft.p95 - latency.ttftMs,
    loopDelayP99Ms: probe.loopDelayMs.p99,
    loopDelayMaxMs: probe.loopDelayMs.max,
  };
}

/** One repetition: a warm-up question, then each level in turn. */
export async function measureChatStreaming(context: ServerContext): Promise<StreamingLevel[]> {
  await askChat(context.server, {
    token: context.data.token,
    workspaceId: context.data.demoWorkspaceId,
    question: QUESTION,
  });
  const levels: StreamingLevel[] = [];
  for (const concurrency of STREAMING_LEVELS) levels.push(await measureLevel(context, concurrency));
  return levels;
}

if (isMainModule(import.meta.url)) {
  runServerBenchmarkAlone(async (context, runs) => {
    const repetitions: StreamingLevel[][] = [];
    for (let index = 0; index < runs; index++) repetitions.push(await measureChatStreaming(context));
    return { benchmark: "chat-streaming", latency: context.latency, repetitions };
  });
}

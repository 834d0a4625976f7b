import { createRequire } from "node:module";
import type { BenchServer, PreparedData } from "./server";

/** Fields of an autocannon result that the benchmarks read, typed here because the package ships no types. */
interface AutocannonResult {
  requests: { total: number; average: number };
  errors: number;
  timeouts: number;
  non2xx: number;
}
interface AutocannonInstance {
  on(event: "response", listener: (client: unknown, status: number, bytes: number, ms: number) => void): void;
}
type Autocannon = (
  options: { url: string; connections: number; duration: number; headers: Record<string, string> },
  done: (error: Error | null, result: AutocannonResult) => void,
) => AutocannonInstance;

const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

export interface HttpLoadResult {
  /** Latency of every response, in milliseconds. */
  samples: number[];
  requests: number;
  errors: number;
  non2xx: number;
}

/** Send GET requests to `url` from `connections` connections for `durationSeconds`, with autocannon. */
export function measureHttp(params: {
  url: string;
  headers: Record<string, string>;
  connections: number;
  durationSeconds: number;
}): Promise<HttpLoadResult> {
  const samples: number[] = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      { url: params.url, connections: params.connections, duration: params.durationSeconds, headers: params.headers },
      (error, result) => {
        if (error) reject(error);
        else resolve({ samples, requests: result.requests.total, errors: result.errors, non2xx: result.non2xx });
      },
    );
    instance.on("response", (_client, _status, _bytes, milliseconds) => samples.push(milliseconds));
  });
}

let questionCounter = 0;

export interface ChatTiming {
  /** From sending the request to reading the first text chunk, in milliseconds. */
  ttftMs: number;
  /** From sending the request to the end of the stream, in milliseconds. */
  totalMs: number;
  conversationId: string | null;
  /** The stream's raw server-sent events, when `keepEvents` is set. */
  events?: string;
}

/** Ask one chat question over HTTP and time the first text chunk and the end of the answer. */
export async function askChat(
  server: BenchServer,
  params: { token: string; workspaceId: string; question: string; signal?: AbortSignal; keepEvents?: boolean },
): Promise<ChatTiming> {
  questionCounter += 1;
  const body = JSON.stringify({
    workspaceId: params.workspaceId,
    language: "en",
    message: {
      id: `bench-${process.pid}-${questionCounter}`,
      role: "user",
      parts: [{ type: "text", text: params.question }],
    },
  });
  const startedAt = performance.now();
  const response = await fetch(`${server.url}/api/chat`, {
    method: "POST",
    headers: { authorization: `Bearer ${params.token}`, "content-type": "application/json" },
    body,
    signal: params.signal,
  });
  if (!response.ok || !response.body) {
    throw new Error(`chat request failed with status ${response.status}: ${await response.text()}`);
  }

  const decoder = new TextDecoder();
  let text = "";
  let ttftMs: number | undefined;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    if (ttftMs === undefined || params.keepEvents) text += decoder.decode(chunk, { stream: true });
    if (ttftMs === undefined && text.includes('"type":"text-delta"')) ttftMs = performance.now() - startedAt;
  }
  const totalMs = performance.now() - startedAt;
  if (ttftMs === undefined) throw new Error(`the chat answer had no text: ${text.slice(0, 500)}`);
  return {
    ttftMs,
    totalMs,
    conversationId: response.headers.get("x-conversation-id"),
    events: params.keepEvents ? text : undefined,
  };
}

/** Start a prioritization run of the given items over the API and return its id. */
async function startPrioritizationRun(server: BenchServer, data: PreparedData, itemIds: string[]): Promise<string> {
  const response = await fetch(`${server.url}/api/v1/workspaces/${data.largeWorkspaceId}/prioritizations`, {
    method: "POST",
    headers: { authorization: `Bearer ${data.token}`, "content-type": "application/json" },
    body: JSON.stringify({ itemIds, maxItemsPerBatch: 5, framework: "rice" }),
  });
  if (response.status !== 202) throw new Error(`starting a run failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { runId: string }).runId;
}

/** Follow a run's event stream, as the Prioritize page does, until `run_finished` or the signal. */
async function followRun(server: BenchServer, token: string, runId: string, signal: AbortSignal): Promise<void> {
  const response = await fetch(`${server.url}/api/v1/runs/${runId}/events`, {
    headers: { authorization: `Bearer ${token}` },
    signal,
  });
  if (!response.body) return;
  const decoder = new TextDecoder();
  let tail = "";
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    tail = (tail + decoder.decode(chunk, { stream: true })).slice(-4096);
    if (tail.includes("run_finished")) return;
  }
}

export interface AiLoadStats {
  runsStarted: number;
  runsFinished: number;
  chatsFinished: number;
  errors: number;
  firstError?: string;
}

export interface AiLoad {
  /** Resolves once every run lane and chat lane has work in flight. */
  ready: Promise<void>;
  /** Stop starting work, cancel the runs in flight and abort the chats; returns the counts. */
  stop(): Promise<AiLoadStats>;
}

/**
 * Keep `runs` prioritization runs (20 items each, batches of 5) and `chats` streaming chats in
 * flight until stopped: each lane starts new work as soon as its previous run or chat ends. The
 * lanes of each kind start spread evenly over `rampMs`, so the load does not arrive as one burst.
 */
export function startAiLoad(
  server: BenchServer,
  data: PreparedData,
  params: { runs: number; chats: number; rampMs: number },
): AiLoad {
  const controller = new AbortController();
  const stats: AiLoadStats = { runsStarted: 0, runsFinished: 0, chatsFinished: 0, errors: 0 };
  const activeRuns = new Set<string>();
  let lanesStarted = 0;
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  const laneStarted = () => {
    lanesStarted += 1;
    if (lanesStarted === params.runs + params.chats) markReady();
  };
  const recordError = (error: unknown) => {
    if (controller.signal.aborted) return;
    stats.errors += 1;
    stats.firstError ??= error instanceof Error ? error.message : String(error);
  };

  const waitForTurn = (lane: number, lanes: number) =>
    new Promise((resolve) => setTimeout(resolve, (lane * params.rampMs) / lanes));

  const runLane = async (lane: number) => {
    await waitForTurn(lane, params.runs);
    const itemIds = data.incompleteItemIds.slice((lane * 20) % data.incompleteItemIds.length).slice(0, 20);
    let started = false;
    while (!controller.signal.aborted) {
      try {
        const runId = await startPrioritizationRun(server, data, itemIds);
        stats.runsStarted += 1;
        activeRuns.add(runId);
        if (!started) laneStarted();
        started = true;
        await followRun(server, data.token, runId, controller.signal);
        activeRuns.delete(runId);
        if (!controller.signal.aborted) stats.runsFinished += 1;
      } catch (error) {
        recordError(error);
      }
    }
  };
  const chatLane = async (lane: number) => {
    await waitForTurn(lane, params.chats);
    let started = false;
    while (!controller.signal.aborted) {
      try {
        const answer = askChat(server, {
          token: data.token,
          workspaceId: data.demoWorkspaceId,
          question: "Why is A01 ranked above A02?",
          signal: controller.signal,
        });
        if (!started) laneStarted();
        started = true;
        await answer;
        stats.chatsFinished += 1;
      } catch (error) {
        recordError(error);
      }
    }
  };

  const lanes = [
    ...Array.from({ length: params.runs }, (_, lane) => runLane(lane)),
    ...Array.from({ length: params.chats }, (_, lane) => chatLane(lane)),
  ];

  return {
    ready,
    async stop() {
      controller.abort();
      await Promise.allSettled(lanes);
      await Promise.allSettled(
        [...activeRuns].map((runId) =>
          fetch(`${server.url}/api/v1/runs/${runId}/cancel`, {
            method: "POST",
            headers: { authorization: `Bearer ${data.token}` },
          }),
        ),
      );
      await waitForRunsToSettle(server, data);
      return stats;
    },
  };
}

/** Wait until no run of the large workspace is queued or running, so the next phase starts idle. */
export async function waitForRunsToSettle(server: BenchServer, data: PreparedData): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const response = await fetch(`${server.url}/api/v1/runs?workspaceId=${data.largeWorkspaceId}&limit=200`, {
      headers: { authorization: `Bearer ${data.token}` },
    });
    const { runs } = (await response.json()) as { runs: Array<{ status: string }> };
    if (!runs.some((run) => run.status === "queued" || run.status === "running")) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error("runs were still queued or running two minutes after the load stopped");
}

import type { ServerResponse } from "node:http";
import { type ChatRequestBody, generateContent, promptText } from "./content";
import { type Fault, type FaultName, isContentMalformation, writeHttpFault } from "./faults";
import { malformations } from "./malformed";
import { putProposalOffScale } from "./out-of-scale";
import { delay, SseWriter, waitForAbort } from "./sse";
import { countTokens, splitTokens } from "./text";
import type { SimulatorApi, SimulatorRequestRecord } from "./types";

export interface Timing {
  ttftMs: number;
  tokensPerSecond: number;
  latencyMs: number;
}

export interface CompletionExchange {
  response: ServerResponse;
  body: ChatRequestBody;
  model: string;
  api: SimulatorApi;
  faults: Fault[];
  timing: Timing;
  seed: number;
  record: SimulatorRequestRecord;
  /** Aborts when the client goes away or the simulator closes. */
  signal: AbortSignal;
  now: () => number;
}

type FinishReason = "stop" | "length" | "content_filter";

const MULTIBYTE_SENTENCE = " Résumé : priorité élevée — ✓ 🚀.";
const DATA_LINES_SENTENCE = '\n\ndata: [DONE]\n: this line looks like an SSE comment\ndata: {"not":"an event"}\n';

/** Respond to one chat-completions request, streaming or not, with the exchange's faults applied. */
export async function answerChatCompletion(exchange: CompletionExchange): Promise<void> {
  const { response, faults, timing, signal } = exchange;
  await delay(timing.latencyMs, signal);
  if (signal.aborted) return;

  for (const fault of faults) {
    if (writeHttpFault(response, fault, exchange.model)) {
      exchange.record.outcome = "error";
      return;
    }
  }
  if (has(faults, "hang")) {
    await waitForAbort(signal);
    return;
  }

  const plan = planCompletion(exchange);
  if (exchange.body.stream) await streamCompletion(exchange, plan);
  else await sendCompletion(exchange, plan);
}

interface CompletionPlan {
  tokens: string[];
  finishReason: FinishReason;
  promptTokens: number;
}

function planCompletion(exchange: CompletionExchange): CompletionPlan {
  const { body, faults } = exchange;
  const content = generateContent(body, exchange.seed);
  exchange.record.schemaName = content.schemaName;
  exchange.record.responseFormat = content.responseFormat;

  let text = content.text;
  // The value goes off its scale first, so that a malformation added with it damages that answer.
  if (has(faults, "invalid_value") && content.schemaName === "prioritization_proposals") {
    text = putProposalOffScale(text);
  }
  for (const fault of faults) {
    if (isContentMalformation(fault.name)) text = malformations[fault.name](text);
  }
  if (has(faults, "split_multibyte") && content.responseFormat === "text") text += MULTIBYTE_SENTENCE;
  if (has(faults, "data_in_content") && content.responseFormat === "text") text += DATA_LINES_SENTENCE;

  let tokens = splitTokens(text);
  let finishReason: FinishReason = "stop";
  const maxTokens = body.max_completion_tokens ?? body.max_tokens;
  if (has(faults, "finish_length")) {
    tokens = tokens.slice(0, Math.max(1, Math.floor(tokens.length / 2)));
    finishReason = "length";
  } else if (has(faults, "finish_content_filter")) {
    tokens = tokens.slice(0, Math.floor(tokens.length / 3));
    finishReason = "content_filter";
  }
  if (typeof maxTokens === "number" && maxTokens > 0 && tokens.length > maxTokens) {
    tokens = tokens.slice(0, maxTokens);
    finishReason = "length";
  }
  const messageCount = body.messages?.length ?? 0;
  return { tokens, finishReason, promptTokens: countTokens(promptText(body)) + 3 * messageCount + 3 };
}

async function sendCompletion(exchange: CompletionExchange, plan: CompletionPlan): Promise<void> {
  const { response, timing, signal } = exchange;
  await delay(timing.ttftMs + generationMs(plan.tokens.length, timing.tokensPerSecond), signal);
  if (signal.aborted) return;
  if (has(exchange.faults, "stream_reset")) {
    exchange.record.outcome = "reset";
    response.socket?.destroy();
    return;
  }

  const azure = exchange.api !== "openai";
  const body = {
    id: `chatcmpl-sim-${exchange.record.id}`,
    object: "chat.completion",
    created: Math.floor(exchange.now() / 1000),
    model: exchange.model,
    system_fingerprint: "fp_simulator",
    ...(azure ? { prompt_filter_results: [promptFilterResult()] } : {}),
    choices: [
      {
        index: 0,
        message: { role: "assistant", content: plan.tokens.join(""), refusal: null },
        logprobs: null,
        finish_reason: plan.finishReason,
        ...(azure ? { content_filter_results: filterResults(plan.finishReason === "content_filter") } : {}),
      },
    ],
    usage: usageOf(plan),
  };
  response.writeHead(200, { "content-type": "application/json" });
  exchange.record.firstByteAt = exchange.now();
  response.end(JSON.stringify(body));
  exchange.record.outcome = "ok";
}

async function streamCompletion(exchange: CompletionExchange, plan: CompletionPlan): Promise<void> {
  const { response, timing, signal, faults } = exchange;
  const azure = exchange.api !== "openai";
  const writer = new SseWriter(response, has(faults, "split_events"), has(faults, "split_multibyte"));
  const base = {
    id: `chatcmpl-sim-${exchange.record.id}`,
    object: "chat.completion.chunk",
    created: Math.floor(exchange.now() / 1000),
    model: exchange.model,
    system_fingerprint: "fp_simulator",
  };
  const chunk = (choice: Record<string, unknown>) => ({
    ...base,
    choices: [{ index: 0, logprobs: null, finish_reason: null, ...choice }],
  });

  response.writeHead(200, {
    "content-type": "text/event-stream",
    "cache-control": "no-cache",
    connection: "keep-alive",
  });
  response.flushHeaders();
  exchange.record.firstByteAt = exchange.now();
  if (azure || has(faults, "azure_empty_first_chunk")) {
    await writer.write({
      choices: [],
      created: 0,
      id: "",
      model: "",
      object: "",
      prompt_filter_results: [promptFilterResult()],
    });
  }

  await delay(timing.ttftMs, signal);
  await writer.write(chunk({ delta: { role: "assistant", content: "" } }));
  const resetAfter = has(faults, "stream_reset")
    ? Math.max(1, Math.floor(plan.tokens.length / 3))
    : Number.POSITIVE_INFINITY;
  const startedAt = performance.now();

  for (const [index, token] of plan.tokens.entries()) {
    if (signal.aborted) return;
    await paceToken(index, startedAt, timing.tokensPerSecond, signal);
    await writer.write(chunk({ delta: { content: token } }));
    if (has(faults, "azure_filter_chunks") && index % 4 === 3) {
      await writer.write({
        ...base,
        id: "",
        choices: [
          {
            index: 0,
            finish_reason: null,
            content_filter_results: filterResults(false),
            content_filter_offsets: { check_offset: 0, start_offset: 0, end_offset: index },
          },
        ],
      });
    }
    if (index + 1 >= resetAfter) {
      // Let the client read the tokens already sent, so the reset lands in the middle of the stream.
      await delay(25, signal);
      exchange.record.outcome = "reset";
      response.socket?.destroy();
      return;
    }
  }

  await writer.write(chunk({ delta: {}, finish_reason: plan.finishReason }));
  if (exchange.body.stream_options?.include_usage) await writer.write({ ...base, choices: [], usage: usageOf(plan) });
  await writer.writeRaw("data: [DONE]\n\n");
  response.end();
  exchange.record.outcome = "ok";
}

function usageOf(plan: CompletionPlan) {
  return {
    prompt_tokens: plan.promptTokens,
    completion_tokens: plan.tokens.length,
    total_tokens: plan.promptTokens + plan.tokens.length,
  };
}

function promptFilterResult() {
  return { prompt_index: 0, content_filter_results: filterResults(false) };
}

function filterResults(filtered: boolean) {
  const safe = { filtered: false, severity: "safe" };
  return {
    hate: safe,
    self_harm: safe,
    sexual: safe,
    violence: filtered ? { filtered: true, severity: "high" } : safe,
  };
}

function has(faults: readonly Fault[], name: FaultName): boolean {
  return faults.some((fault) => fault.name === name);
}

function generationMs(tokens: number, tokensPerSecond: number): number {
  return tokensPerSecond > 0 ? (tokens * 1000) / tokensPerSecond : 0;
}

/** Sleep until the token's due time; tokens already late go out at once, several per timer tick. */
async function paceToken(
  index: number,
  startedAt: number,
  tokensPerSecond: number,
  signal: AbortSignal,
): Promise<void> {
  if (tokensPerSecond <= 0) return;
  const dueAt = startedAt + (index * 1000) / tokensPerSecond;
  const ahead = dueAt - performance.now();
  if (ahead >= 4) await delay(ahead, signal);
}

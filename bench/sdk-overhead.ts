/**
 * Benchmark 4 (overhead against the bare SDK), against the production build: the same streamed
 * completion through Rankwise's chat route and through a minimal `streamText` call on the same
 * simulator, pair by pair in one run, alternating which goes first. The bare call sends exactly
 * the messages the route sends: they are rebuilt from the route's own conversation (its ranking
 * snapshot) and streamed sources, with the same pure functions and prompt files the route uses.
 *
 *   npx tsx bench/sdk-overhead.ts [--runs 3] [--skip-build]
 *
 * Prints JSON: per repetition the median time to first token and total time of each path, in
 * milliseconds, and the median of the per-pair ratios route / bare.
 */
import { createOpenAI } from "@ai-sdk/openai";
import { streamText } from "ai";
import type { ChatConversation } from "@/db/schema";
import { SIMULATED_MODEL_NAMES } from "@/lib/ai/config";
import {
  buildPromptRanking,
  buildPromptSources,
  findNamedItems,
  toDataBlockJson,
  toQuestionBlockText,
} from "@/lib/chat/context";
import { readRankingSnapshot } from "@/lib/chat/conversations";
import { languageName } from "@/lib/chat/prompt";
import type { ChatSource } from "@/lib/chat/types";
import { getEnv } from "@/lib/env";
import { loadPromptCacheFromDefinitions } from "@/lib/prompts/cache";
import { defaultPromptsDir, readPromptDirectory } from "@/lib/prompts/files";
import { renderPrompt } from "@/lib/prompts/render";
import { askChat } from "./support/load";
import { isMainModule, runServerBenchmarkAlone, type ServerContext } from "./support/standalone";
import { median } from "./support/stats";

export const SDK_PAIRS = 4;
const QUESTION = "Why is A01 ranked above A02?";

export interface SdkOverheadRepetition {
  pairs: number;
  routeTtftMs: number;
  bareTtftMs: number;
  routeTotalMs: number;
  bareTotalMs: number;
  ttftRatio: number;
  totalRatio: number;
  /** Both paths streamed an answer of the same length, so they timed the same completion. */
  sameAnswerLength: boolean;
}

interface BarePrompt {
  system: string;
  user: string;
  modelName: string;
  temperature?: number;
  maxOutputTokens?: number;
}

function parseUiEvents(events: string): Array<Record<string, unknown>> {
  return events
    .split("\n\n")
    .map((event) => event.trim())
    .filter((event) => event.startsWith("data: ") && event !== "data: [DONE]")
    .map((event) => JSON.parse(event.slice("data: ".length)) as Record<string, unknown>);
}

/** Rebuild the route's prompt from one of its answers, as `buildChatPrompt` assembles it. */
async function rebuildRoutePrompt(context: ServerContext): Promise<{ prompt: BarePrompt; answerLength: number }> {
  const { server, data } = context;
  const answer = await askChat(server, {
    token: data.token,
    workspaceId: data.demoWorkspaceId,
    question: QUESTION,
    keepEvents: true,
  });
  const events = parseUiEvents(answer.events ?? "");
  const sourcesPart = events.find((event) => event.type === "data-sources")?.data as
    | { sources: ChatSource[] }
    | undefined;
  if (!sourcesPart) throw new Error("the chat stream had no sources part");
  const sources = sourcesPart.sources;
  const answerText = events
    .filter((event) => event.type === "text-delta")
    .map((event) => event.delta)
    .join("");

  const response = await fetch(
    `${server.url}/api/chat/conversations/${answer.conversationId}?workspaceId=${data.demoWorkspaceId}`,
    { headers: { authorization: `Bearer ${data.token}` } },
  );
  const { conversation } = (await response.json()) as { conversation: ChatConversation };
  const snapshot = readRankingSnapshot(conversation);
  const named = findNamedItems(snapshot, QUESTION, []);
  loadPromptCacheFromDefinitions(await readPromptDirectory(defaultPromptsDir));
  const rendered = renderPrompt({
    key: "explainer",
    language: "en",
    variables: {
      question: toQuestionBlockText(QUESTION),
      ranking: toDataBlockJson(buildPromptRanking(snapshot, named, getEnv().CHAT_RANKING_ITEMS)),
      sources: toDataBlockJson(buildPromptSources(sources)),
      language_name: languageName("en"),
    },
  });
  const [system, user] = rendered.messages;
  return {
    prompt: {
      system: system.content,
      user: user.content,
      modelName: SIMULATED_MODEL_NAMES[rendered.modelRole],
      temperature: rendered.parameters.temperature,
      maxOutputTokens: rendered.parameters.maxOutputTokens,
    },
    answerLength: answerText.length,
  };
}

/** Stream once with a bare `streamText` call on the simulator, timed like the HTTP client. */
async function streamBare(simulatorUrl: string, prompt: BarePrompt) {
  const provider = createOpenAI({ baseURL: `${simulatorUrl}/v1`, apiKey: "benchmark" });
  const startedAt = performance.now();
  const result = streamText({
    model: provider.chat(prompt.modelName),
    system: prompt.system,
    messages: [{ role: "user", content: prompt.user }],
    temperature: prompt.temperature,
    maxOutputTokens: prompt.maxOutputTokens,
    maxRetries: 0,
  });
  let ttftMs: number | undefined;
  let text = "";
  for await (const delta of result.textStream) {
    if (ttftMs === undefined && delta.length > 0) ttftMs = performance.now() - startedAt;
    text += delta;
  }
  return { ttftMs: ttftMs ?? Number.NaN, totalMs: performance.now() - startedAt, length: text.length };
}

export async function measureSdkOverhead(context: ServerContext): Promise<SdkOverheadRepetition> {
  const { server, data } = context;
  const { prompt, answerLength } = await rebuildRoutePrompt(context);
  const route = () => askChat(server, { token: data.token, workspaceId: data.demoWorkspaceId, question: QUESTION });
  const bare = () => streamBare(server.simulatorUrl, prompt);

  const pairs: Array<{ route: { ttftMs: number; totalMs: number }; bare: { ttftMs: number; totalMs: number } }> = [];
  let sameAnswerLength = true;
  for (let index = 0; index < SDK_PAIRS; index++) {
    const routeFirst = index % 2 === 0;
    const first = routeFirst ? await route() : await bare();
    const second = routeFirst ? await bare() : await route();
    const bareTiming = (routeFirst ? second : first) as Awaited<ReturnType<typeof bare>>;
    if (bareTiming.length !== answerLength) sameAnswerLength = false;
    pairs.push(routeFirst ? { route: first, bare: second } : { route: second, bare: first });
  }

  return {
    pairs: pairs.length,
    routeTtftMs: median(pairs.map((pair) => pair.route.ttftMs)),
    bareTtftMs: median(pairs.map((pair) => pair.bare.ttftMs)),
    routeTotalMs: median(pairs.map((pair) => pair.route.totalMs)),
    bareTotalMs: median(pairs.map((pair) => pair.bare.totalMs)),
    ttftRatio: median(pairs.map((pair) => pair.route.ttftMs / pair.bare.ttftMs)),
    totalRatio: median(pairs.map((pair) => pair.route.totalMs / pair.bare.totalMs)),
    sameAnswerLength,
  };
}

if (isMainModule(import.meta.url)) {
  runServerBenchmarkAlone(async (context, runs) => {
    const repetitions: SdkOverheadRepetition[] = [];
    for (let index = 0; index < runs; index++) repetitions.push(await measureSdkOverhead(context));
    return { benchmark: "sdk-overhead", latency: context.latency, repetitions };
  });
}

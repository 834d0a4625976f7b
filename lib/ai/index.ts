import type { LanguageModelV3 } from "@ai-sdk/provider";
import { getEnv } from "@/lib/env";
import { resolveGatewayConfig } from "./config";
import { createGateway, type Gateway, type StreamChatParams, type StreamChatResult } from "./gateway";
import type { ChatCallResult, EmbedOptions, EmbedResult, GenerateChatParams, ModelInfo } from "./types";

export type { GatewayConfig, GatewayConfigInput, ModelNames, ModelRole, ProviderConfig, ProviderKind } from "./config";
export { resolveGatewayConfig } from "./config";
export { isModelError, ModelError, type ModelErrorKind, modelErrorKinds } from "./errors";
export type { FineTuningClient, FineTuningJob, FineTuningJobEvent } from "./fine-tuning";
export { createGateway, type Gateway, type StreamChatParams, type StreamChatResult } from "./gateway";
export { toStrictJsonSchema } from "./structured";
export type {
  ChatAccounting,
  ChatCallParams,
  ChatCallResult,
  ChatMessage,
  EmbedOptions,
  EmbedResult,
  FinishReason,
  GenerateChatParams,
  ModelInfo,
  StreamAccounting,
  StructuredMode,
  StructuredOutputRequest,
} from "./types";

const globalForGateway = globalThis as unknown as { rankwiseGateway?: Gateway };

/**
 * Return the process-wide gateway built from the environment. It is kept on `globalThis` because
 * Next.js may load this module more than once. With the simulator provider, the first call starts it.
 */
export function getGateway(): Gateway {
  globalForGateway.rankwiseGateway ??= createGateway(resolveGatewayConfig(getEnv()));
  return globalForGateway.rankwiseGateway;
}

/** Run one non-streaming chat completion, optionally with structured output (see `GenerateChatParams`). */
export function generateChat(params: GenerateChatParams): Promise<ChatCallResult> {
  return getGateway().generateChat(params);
}

/** Stream one chat completion with the gateway's retries, deadline and accounting. */
export function streamChat(params: StreamChatParams): StreamChatResult {
  return getGateway().streamChat(params);
}

/** The AI SDK chat model of a role, for `streamText` or `generateText` with `maxRetries: 0`. */
export function getLanguageModel(
  role: "fast" | "smart",
  options?: { deadlineMs?: number; promptKey?: string; textIntervalMs?: number },
): LanguageModelV3 {
  return getGateway().getLanguageModel(role, options);
}

export function embedTexts(texts: string[], options?: EmbedOptions): Promise<EmbedResult> {
  return getGateway().embedTexts(texts, options);
}

/** Which provider and models serve this process; `simulated` drives the "Simulated model" badge. */
export function getModelInfo(): ModelInfo {
  return getGateway().getModelInfo();
}

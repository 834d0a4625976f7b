import type { z } from "zod";
import type { ModelNames, ModelRole, ProviderKind } from "./config";
import type { FinishReason } from "./model";
import type { StructuredMode } from "./structured";

export type { FinishReason } from "./model";
export type { StructuredMode } from "./structured";

export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

export interface StructuredOutputRequest {
  /** Sent as the JSON schema's `name`; the output schemas in `lib/tasks/schemas.ts` use their registry key. */
  schemaName: string;
  schema?: z.ZodType;
  /** `auto` follows `MODEL_STRUCTURED_OUTPUT` and what the endpoint supports. */
  mode?: "auto" | "json_schema" | "json_object";
}

export interface ChatCallParams {
  role: ModelRole;
  messages: ChatMessage[];
  temperature?: number;
  topP?: number;
  frequencyPenalty?: number;
  presencePenalty?: number;
  maxTokens?: number;
  signal?: AbortSignal;
  /** Whole-call budget in milliseconds, retries and waits included; defaults to `MODEL_TIMEOUT_MS`. */
  deadlineMs?: number;
  /** The prompt's key, for logs and error messages. */
  promptKey?: string;
  /** Extra request headers, such as the simulator's `x-sim-fault`. */
  headers?: Record<string, string>;
}

export interface GenerateChatParams extends ChatCallParams {
  output?: StructuredOutputRequest;
}

/** What one chat call cost and how it went. Times are in milliseconds from the start of the call. */
export interface ChatAccounting {
  finishReason: FinishReason;
  usage: { promptTokens: number; completionTokens: number };
  latencyMs: number;
  /**
   * Time to the first token. A non-streaming response carries all tokens at once, so there it is
   * the time until the response arrived, equal to `latencyMs`.
   */
  ttftMs: number | null;
  /** Estimated from the price table; `null` when the model has no price there. */
  costUsd: number | null;
  model: string;
  provider: ProviderKind;
  structuredMode: StructuredMode;
  /** HTTP attempts made, the successful one included. */
  transportAttempts: number;
  /** Each wait before a retry, in order. */
  retryWaitsMs: number[];
}

export interface ChatCallResult extends ChatAccounting {
  /** The raw text; structured output is not parsed or validated here (the pipeline does both). */
  text: string;
}

/** Accounting of a streamed call; `error` is set when the stream failed. */
export interface StreamAccounting extends ChatAccounting {
  error?: unknown;
}

export interface EmbedOptions {
  signal?: AbortSignal;
  deadlineMs?: number;
  /** Inputs per request; OpenAI and Azure accept up to 2048. */
  batchSize?: number;
  /** Output size for models that support shortening (text-embedding-3-*). */
  dimensions?: number;
  headers?: Record<string, string>;
}

export interface EmbedResult {
  embeddings: number[][];
  model: string;
  dimensions: number;
  usage: { tokens: number };
  latencyMs: number;
  costUsd: number | null;
  transportAttempts: number;
  retryWaitsMs: number[];
}

export interface ModelInfo {
  provider: ProviderKind;
  simulated: boolean;
  models: ModelNames;
}

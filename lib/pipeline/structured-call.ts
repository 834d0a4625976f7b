import type { z } from "zod";
import type { CallOutcome, PromptVersionRef, RunErrorInfo } from "@/db/schema";
import { isModelError, type ModelError } from "@/lib/ai/errors";
import type { ChatCallResult, ChatMessage, GenerateChatParams } from "@/lib/ai/types";
import type { FieldIssue } from "@/lib/validation";
import { buildCorrectionMessages, lowerTemperature, raiseMaxTokens } from "./correction";
import { parseModelOutput, type RepairStep } from "./repair";
import { validateOutput } from "./validate";

/** A prompt rendered for one batch: the messages to send and how to send them. */
export interface RenderedPrompt {
  promptKey: string;
  language: string;
  /** The published version the messages came from. */
  version: PromptVersionRef;
  role: GenerateChatParams["role"];
  messages: ChatMessage[];
  parameters: SamplingParameters;
}

export interface SamplingParameters {
  temperature?: number;
  topP?: number;
  frequencyPenalty?: number;
  presencePenalty?: number;
  maxTokens?: number;
}

export type GenerateChat = (params: GenerateChatParams) => Promise<ChatCallResult>;

/** One request of a structured call and what became of it, handed to `onAttempt` as it ends. */
export interface AttemptRecord {
  attempt: number;
  purpose: "initial" | "correction" | "more_tokens";
  messages: ChatMessage[];
  parameters: SamplingParameters;
  outcome: CallOutcome;
  startedAt: Date;
  /** Absent when the request failed before a response (transport error, rejected prompt). */
  response?: ChatCallResult;
  /** HTTP requests sent when there is no response; a response carries its own count. */
  transportAttempts?: number;
  repairedText?: string;
  repairs: RepairStep[];
  validationErrors: FieldIssue[];
  error?: RunErrorInfo;
}

export interface StructuredCallParams<T> {
  prompt: RenderedPrompt;
  schema: z.ZodType<T>;
  schemaName: string;
  /** Correction retries; the call makes at most `maxRetries + 1` requests, truncation retries included. */
  maxRetries: number;
  generate: GenerateChat;
  signal?: AbortSignal;
  /** Extra request headers, such as the simulator's fault header. */
  headers?: Record<string, string>;
  onAttempt?: (record: AttemptRecord) => Promise<void>;
}

export type StructuredCallResult<T> =
  | { ok: true; outcome: "ok" | "repaired"; data: T; attempts: number }
  | { ok: false; outcome: Exclude<CallOutcome, "ok" | "repaired">; error: RunErrorInfo; attempts: number };

/**
 * Call the model for structured output and return validated data. Unparseable or invalid output
 * is sent back with its errors as a correction request at a lower temperature. A truncated
 * response is retried once with a larger token budget. Transport failures were already retried
 * by the gateway, so they end the call. All retries share one budget of `maxRetries + 1` requests.
 */
export async function callStructured<T>(params: StructuredCallParams<T>): Promise<StructuredCallResult<T>> {
  const maxAttempts = params.maxRetries + 1;
  const base = params.prompt.parameters;
  let request = { messages: params.prompt.messages, parameters: base, purpose: "initial" as AttemptRecord["purpose"] };
  let corrections = 0;
  let raisedTokens = false;
  let last: StructuredCallResult<T> | undefined;

  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const step = await attemptOnce(params, attempt, request);
    if (step.kind === "done") return step.result;

    last = step.failure;
    if (step.kind === "truncated") {
      if (raisedTokens) return step.failure;
      raisedTokens = true;
      const maxTokens = raiseMaxTokens(request.parameters.maxTokens, step.completionTokens);
      request = { ...request, parameters: { ...request.parameters, maxTokens }, purpose: "more_tokens" };
      continue;
    }

    corrections++;
    request = {
      messages: buildCorrectionMessages(params.prompt.messages, step.responseText, step.issues),
      parameters: { ...request.parameters, temperature: lowerTemperature(base.temperature, corrections) },
      purpose: "correction",
    };
  }
  return last ?? failure("failed", "the call made no request", maxAttempts);
}

type Step<T> =
  | { kind: "done"; result: StructuredCallResult<T> }
  | { kind: "truncated"; failure: StructuredCallResult<T>; completionTokens: number }
  | { kind: "invalid"; failure: StructuredCallResult<T>; responseText: string; issues: FieldIssue[] };

async function attemptOnce<T>(
  params: StructuredCallParams<T>,
  attempt: number,
  request: { messages: ChatMessage[]; parameters: SamplingParameters; purpose: AttemptRecord["purpose"] },
): Promise<Step<T>> {
  const startedAt = new Date();
  const record = (fields: Partial<AttemptRecord> & Pick<AttemptRecord, "outcome">) =>
    params.onAttempt?.({ attempt, ...request, startedAt, repairs: [], validationErrors: [], ...fields });

  let response: ChatCallResult;
  try {
    response = await params.generate({
      role: params.prompt.role,
      messages: request.messages,
      ...request.parameters,
      output: { schemaName: params.schemaName, schema: params.schema },
      signal: params.signal,
      promptKey: params.prompt.promptKey,
      headers: params.headers,
    });
  } catch (error) {
    if (params.signal?.aborted) throw params.signal.reason;
    const classified = classifyModelError(error);
    const attempts = isModelError(error) ? error.info.attempts : undefined;
    await record({
      outcome: classified.outcome,
      error: classified.error,
      transportAttempts: typeof attempts === "number" ? attempts : undefined,
    });
    return { kind: "done", result: { ok: false, ...classified, attempts: attempt } };
  }
  return judgeResponse(params, attempt, response, record);
}

async function judgeResponse<T>(
  params: StructuredCallParams<T>,
  attempt: number,
  response: ChatCallResult,
  record: (fields: Partial<AttemptRecord> & Pick<AttemptRecord, "outcome">) => Promise<void> | undefined,
): Promise<Step<T>> {
  if (response.finishReason === "content_filter") {
    const result = failure("content_filtered", "the provider's content filter stopped the response", attempt);
    await record({ outcome: "content_filtered", response, error: result.error });
    return { kind: "done", result };
  }

  const parsed = parseModelOutput(response.text);
  if (response.finishReason === "length" || (!parsed.ok && parsed.reason === "truncated")) {
    const message =
      response.finishReason === "length"
        ? "the response reached the max token limit and was cut off"
        : `the response is incomplete: ${parsed.ok ? "" : parsed.message}`;
    const result = failure("truncated", message, attempt);
    const issues = [{ path: "(response)", message }];
    await record({
      outcome: "truncated",
      response,
      repairs: parsed.repairs,
      validationErrors: issues,
      error: result.error,
    });
    if (response.finishReason === "length")
      return { kind: "truncated", failure: result, completionTokens: response.usage.completionTokens };
    return { kind: "invalid", failure: failure("invalid", message, attempt), responseText: response.text, issues };
  }

  if (!parsed.ok) {
    if (looksLikeRefusal(response.text)) {
      const result = failure("refused", "the model declined to answer", attempt);
      await record({ outcome: "refused", response, error: result.error });
      return { kind: "done", result };
    }
    const issues = [{ path: "(response)", message: parsed.message }];
    const result = failure("invalid", `unparseable output: ${parsed.message}`, attempt);
    await record({
      outcome: "invalid",
      response,
      repairs: parsed.repairs,
      validationErrors: issues,
      error: result.error,
    });
    return { kind: "invalid", failure: result, responseText: response.text, issues };
  }

  const repairedText = parsed.repaired ? parsed.text : undefined;
  const validation = validateOutput(params.schema, parsed.value);
  if (!validation.ok) {
    const summary = validation.issues.map((issue) => `${issue.path}: ${issue.message}`).join("; ");
    const result = failure("invalid", `output does not match the schema: ${summary}`, attempt);
    await record({
      outcome: "invalid",
      response,
      repairedText,
      repairs: parsed.repairs,
      validationErrors: validation.issues,
      error: result.error,
    });
    return { kind: "invalid", failure: result, responseText: response.text, issues: validation.issues };
  }

  const outcome = parsed.repaired ? "repaired" : "ok";
  await record({ outcome, response, repairedText, repairs: parsed.repairs });
  return { kind: "done", result: { ok: true, outcome, data: validation.data, attempts: attempt } };
}

function failure(
  outcome: Exclude<CallOutcome, "ok" | "repaired">,
  message: string,
  attempts: number,
): { ok: false; outcome: typeof outcome; error: RunErrorInfo; attempts: number } {
  return { ok: false, outcome, error: { code: outcome, message, retryable: outcome !== "refused" }, attempts };
}

/** Map a gateway error to an outcome; anything that is not a `ModelError` is a plain failure. */
export function classifyModelError(error: unknown): {
  outcome: Exclude<CallOutcome, "ok" | "repaired">;
  error: RunErrorInfo;
} {
  if (!isModelError(error)) {
    const message = error instanceof Error ? error.message : String(error);
    return { outcome: "failed", error: { code: "failed", message, retryable: true } };
  }
  const modelError: ModelError = error;
  const outcome =
    modelError.kind === "rate_limited" || modelError.kind === "retry_wait_too_long"
      ? "rate_limited"
      : modelError.kind === "content_filter"
        ? "content_filtered"
        : "failed";
  return {
    outcome,
    error: {
      code: modelError.kind,
      message: modelError.message,
      retryable: modelError.retryable,
      modelErrorKind: modelError.kind,
    },
  };
}

const REFUSAL = /\b(I(?:'m| am) (?:sorry|unable)|I can(?:not|'t|’t) (?:help|assist|comply|provide)|I won(?:'|’)t)/i;

/** Tell whether a response without JSON reads like a refusal; called only once parsing found no JSON. */
function looksLikeRefusal(text: string): boolean {
  return text.trim() === "" || REFUSAL.test(text);
}

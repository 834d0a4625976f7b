import type { z } from "zod";
import type { TestResultFields } from "@/db/queries/prompt-tests";
import type { Prompt, PromptTestCase, PromptTestResult } from "@/db/schema";
import type { Gateway } from "@/lib/ai";
import { isAppError } from "@/lib/errors";
import {
  type AttemptRecord,
  callStructured,
  classifyModelError,
  type RenderedPrompt,
} from "@/lib/pipeline/structured-call";
import { outputSchemas } from "@/lib/tasks/schemas";
import { evaluateAssertions, type TestObservation } from "./assertions";
import { createStreamingGenerate } from "./stream-generate";

/**
 * One test cell run in the request that asked for it, streaming the model's answer: the path of
 * the "Run" button, and of "Run all" for prompts that answer in free text (the pipeline's
 * structured call only serves JSON answers). Structured prompts go through the pipeline's
 * `callStructured`, so repair, validation and correction retries are the production ones.
 */

export type TestStreamEvent =
  | { type: "request"; messages: RenderedPrompt["messages"]; parameters: RenderedPrompt["parameters"] }
  | { type: "delta"; attempt: number; text: string }
  | {
      type: "attempt";
      attempt: number;
      purpose: AttemptRecord["purpose"];
      outcome: AttemptRecord["outcome"];
      repairs: string[];
      validationErrors: Array<{ path: string; message: string }>;
    }
  | { type: "result"; result: PromptTestResult }
  | { type: "error"; message: string };

/** The result row of a cell, without the ids the caller adds. */
export type CellOutcome = Omit<
  TestResultFields,
  "testRunId" | "caseId" | "language" | "versionId" | "draftRevision" | "batchId"
>;

export interface ExecuteCellParams {
  prompt: Prompt;
  testCase: PromptTestCase;
  rendered: RenderedPrompt;
  maxRetries: number;
  gateway?: Gateway;
  signal?: AbortSignal;
  onEvent?: (event: TestStreamEvent) => void;
}

export async function executeTestCell(params: ExecuteCellParams): Promise<CellOutcome> {
  const { rendered, onEvent } = params;
  onEvent?.({ type: "request", messages: rendered.messages, parameters: rendered.parameters });
  const generate = createStreamingGenerate({
    gateway: params.gateway,
    onDelta: (text, attempt) => onEvent?.({ type: "delta", attempt, text }),
  });
  if (!params.prompt.outputSchema) return executeFreeTextCell(params, generate);

  const attempts: AttemptRecord[] = [];
  const result = await callStructured({
    prompt: rendered,
    schema: outputSchemas[params.prompt.outputSchema] as z.ZodType,
    schemaName: params.prompt.outputSchema,
    maxRetries: params.maxRetries,
    generate,
    signal: params.signal,
    onAttempt: async (record) => {
      attempts.push(record);
      onEvent?.({
        type: "attempt",
        attempt: record.attempt,
        purpose: record.purpose,
        outcome: record.outcome,
        repairs: record.repairs,
        validationErrors: record.validationErrors,
      });
    },
  });

  const last = attempts.at(-1);
  const metrics = summarizeAttempts(attempts);
  const observation: TestObservation = result.ok
    ? { parsed: true, valid: true, output: result.data, ...metrics }
    : { parsed: lastAttemptParsed(last), valid: false, output: undefined, ...metrics };
  const assertionResults = evaluateAssertions(params.testCase.assertions, observation);
  return {
    verdict: result.ok
      ? assertionResults.every((entry) => entry.passed)
        ? "passed"
        : "failed"
      : failureVerdict(result.outcome),
    outcome: result.outcome,
    output: result.ok ? result.data : null,
    rawText: last?.response?.text ?? null,
    repairedText: last?.repairedText ?? null,
    repairs: last?.repairs ?? [],
    validationErrors: last?.validationErrors ?? [],
    assertionResults,
    error: result.ok ? null : result.error,
    ...metrics,
    attempts: attempts.length,
    model: last?.response?.model ?? null,
    timeToFirstTokenMs: last?.response?.ttftMs ?? null,
    inputTokens: sumOrNull(attempts.map((attempt) => attempt.response?.usage.promptTokens ?? null)),
    outputTokens: sumOrNull(attempts.map((attempt) => attempt.response?.usage.completionTokens ?? null)),
  };
}

async function executeFreeTextCell(
  params: ExecuteCellParams,
  generate: ReturnType<typeof createStreamingGenerate>,
): Promise<CellOutcome> {
  const { rendered } = params;
  try {
    const response = await generate({
      role: rendered.role,
      messages: rendered.messages,
      ...rendered.parameters,
      promptKey: rendered.promptKey,
      signal: params.signal,
    });
    const observation: TestObservation = {
      parsed: true,
      valid: true,
      output: response.text,
      latencyMs: response.latencyMs,
      costUsd: response.costUsd,
    };
    const assertionResults = evaluateAssertions(params.testCase.assertions, observation);
    return {
      verdict: assertionResults.every((entry) => entry.passed) ? "passed" : "failed",
      outcome: "ok",
      output: response.text,
      rawText: response.text,
      repairedText: null,
      repairs: [],
      validationErrors: [],
      assertionResults,
      error: null,
      attempts: 1,
      model: response.model,
      latencyMs: response.latencyMs,
      timeToFirstTokenMs: response.ttftMs,
      inputTokens: response.usage.promptTokens,
      outputTokens: response.usage.completionTokens,
      costUsd: response.costUsd,
    };
  } catch (error) {
    if (params.signal?.aborted) throw error;
    const classified = classifyModelError(error);
    return errorOutcome(params.testCase, classified.outcome, classified.error);
  }
}

/** Build the result of a cell that could not run at all, such as a template that does not render. */
export function errorOutcome(
  testCase: PromptTestCase,
  outcome: CellOutcome["outcome"],
  error: NonNullable<CellOutcome["error"]>,
): CellOutcome {
  const observation: TestObservation = {
    parsed: false,
    valid: false,
    output: undefined,
    latencyMs: null,
    costUsd: null,
  };
  return {
    verdict: "error",
    outcome,
    output: null,
    rawText: null,
    repairedText: null,
    repairs: [],
    validationErrors: [],
    assertionResults: evaluateAssertions(testCase.assertions, observation),
    error,
    attempts: 0,
    model: null,
    latencyMs: null,
    timeToFirstTokenMs: null,
    inputTokens: null,
    outputTokens: null,
    costUsd: null,
  };
}

/** Describe an error thrown before the model was called, keeping messages written for users. */
export function describeSetupError(error: unknown): NonNullable<CellOutcome["error"]> {
  const message = isAppError(error) ? error.message : "The test could not start; the server log has details.";
  return { code: isAppError(error) ? error.code : "failed", message, retryable: false };
}

/** An invalid answer is a failed test; no usable answer at all (transport, refusal, filter) is an error. */
export function failureVerdict(outcome: CellOutcome["outcome"]): PromptTestResult["verdict"] {
  return outcome === "invalid" || outcome === "truncated" ? "failed" : "error";
}

/** Tell whether the last response parsed as JSON, so that it failed on fields rather than as a whole. */
function lastAttemptParsed(last: AttemptRecord | undefined): boolean {
  if (!last?.response) return false;
  return last.outcome === "invalid" && !last.validationErrors.some((issue) => issue.path === "(response)");
}

function summarizeAttempts(attempts: AttemptRecord[]): { latencyMs: number | null; costUsd: number | null } {
  return {
    latencyMs: sumOrNull(attempts.map((attempt) => attempt.response?.latencyMs ?? null)),
    costUsd: sumOrNull(attempts.map((attempt) => attempt.response?.costUsd ?? null)),
  };
}

function sumOrNull(values: Array<number | null>): number | null {
  if (values.length === 0 || values.some((value) => value === null)) return null;
  return values.reduce<number>((total, value) => total + (value ?? 0), 0);
}

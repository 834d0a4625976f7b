import type {
  LanguageModelV3,
  LanguageModelV3CallOptions,
  LanguageModelV3GenerateResult,
  LanguageModelV3StreamPart,
  LanguageModelV3StreamResult,
  LanguageModelV3Usage,
} from "@ai-sdk/provider";
import type { Logger } from "@/lib/logger";
import {
  type Attempt,
  type CallDeadline,
  type CallState,
  createCallState,
  type RetryPolicy,
  runWithRetries,
  startDeadline,
} from "./attempts";
import { type CallContext, classifyAttemptError } from "./classify";
import type { KeyedLimiter } from "./concurrency";
import { ModelError } from "./errors";
import { type FinishReason, isOutputPart, mapFinishReason, StreamTracker } from "./stream-tracker";

export type { FinishReason } from "./stream-tracker";

/** The outcome of one call through a gateway model, reported once the call ends. */
export interface ModelCallRecord {
  state: CallState;
  finishReason: FinishReason;
  promptTokens: number;
  completionTokens: number;
  /** The model the response named, else the configured deployment or model. */
  model: string;
  error?: unknown;
}

export interface GatewayModelRuntime {
  /** Resolves the AI SDK model once the provider is ready (the in-process simulator may still be starting). */
  resolveTarget(): Promise<LanguageModelV3>;
  providerName: string;
  context: CallContext;
  policy: RetryPolicy;
  limiter: KeyedLimiter;
  log: Logger;
}

export interface GatewayModelCallOptions {
  deadlineMs: number;
  signal?: AbortSignal;
  onCallEnd?: (record: ModelCallRecord) => void;
}

/**
 * AI SDK language model that wraps a provider's chat model in the gateway's policy. Each call gets
 * a concurrency slot per deployment, a deadline, and retries with the gateway's waits. Streams
 * retry only before their first token. Each call reports its attempts, timing and usage.
 * Use it with `generateText`/`streamText` and `maxRetries: 0`, so the AI SDK does not retry too.
 */
export class GatewayLanguageModel implements LanguageModelV3 {
  readonly specificationVersion = "v3";
  readonly supportedUrls: Record<string, RegExp[]> = {};

  constructor(
    private readonly runtime: GatewayModelRuntime,
    private readonly callOptions: GatewayModelCallOptions,
  ) {}

  get provider(): string {
    return this.runtime.providerName;
  }

  get modelId(): string {
    return this.runtime.context.model;
  }

  async doGenerate(options: LanguageModelV3CallOptions): Promise<LanguageModelV3GenerateResult> {
    const state = createCallState();
    const deadline = this.startDeadline(options.abortSignal);
    try {
      const result = await runWithRetries({
        ...this.retryContext(state, deadline),
        run: async (attempt) => {
          try {
            const target = await this.runtime.resolveTarget();
            return await target.doGenerate({ ...options, abortSignal: attempt.signal });
          } finally {
            attempt.release();
          }
        },
      });
      state.firstTokenAt = performance.now();
      state.endedAt = state.firstTokenAt;
      this.report(state, {
        finishReason: mapFinishReason(result.finishReason),
        usage: result.usage,
        responseModel: result.response?.modelId,
      });
      return result;
    } catch (error) {
      state.endedAt = performance.now();
      this.report(state, { finishReason: "error", error });
      throw error;
    } finally {
      deadline.dispose();
    }
  }

  async doStream(options: LanguageModelV3CallOptions): Promise<LanguageModelV3StreamResult> {
    const state = createCallState();
    const deadline = this.startDeadline(options.abortSignal);
    let opened: OpenedStream;
    try {
      opened = await runWithRetries({
        ...this.retryContext(state, deadline),
        run: (attempt) => this.openStream(options, attempt),
      });
    } catch (error) {
      state.endedAt = performance.now();
      deadline.dispose();
      this.report(state, { finishReason: "error", error });
      throw error;
    }
    return { ...opened.result, stream: this.relayStream(opened, state, deadline) };
  }

  private startDeadline(abortSignal: AbortSignal | undefined): CallDeadline {
    const signals = [abortSignal, this.callOptions.signal].filter((signal): signal is AbortSignal => Boolean(signal));
    const callerSignal = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
    return startDeadline(this.callOptions.deadlineMs, callerSignal);
  }

  private retryContext(state: CallState, deadline: CallDeadline) {
    const { context, policy, limiter, log } = this.runtime;
    return { context, policy, state, deadline, limiter, limiterKey: `${this.provider}:${context.model}`, log };
  }

  /**
   * Start one streaming attempt and read until the first output: an error before it (an HTTP
   * error, a reset, an error event) fails the attempt so that it can be retried.
   */
  private async openStream(options: LanguageModelV3CallOptions, attempt: Attempt): Promise<OpenedStream> {
    let reader: ReadableStreamDefaultReader<LanguageModelV3StreamPart> | undefined;
    try {
      const target = await this.runtime.resolveTarget();
      const result = await target.doStream({ ...options, abortSignal: attempt.signal });
      reader = result.stream.getReader();
      const buffered: LanguageModelV3StreamPart[] = [];
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (value.type === "error") throw value.error;
        buffered.push(value);
        if (isOutputPart(value) || value.type === "finish") break;
      }
      attempt.clearAttemptTimeout();
      return { result, reader, buffered, release: attempt.release };
    } catch (error) {
      attempt.release();
      reader?.cancel().catch(() => {});
      throw error;
    }
  }

  /** Pass the provider's parts through, recording the first token, usage and the end of the call. */
  private relayStream(
    opened: OpenedStream,
    state: CallState,
    deadline: CallDeadline,
  ): ReadableStream<LanguageModelV3StreamPart> {
    const tracker = new StreamTracker(state);
    let ended = false;
    const end = (error?: unknown) => {
      if (ended) return;
      ended = true;
      state.endedAt = performance.now();
      opened.release();
      deadline.dispose();
      this.report(state, { ...tracker.summary(), ...(error ? { finishReason: "error" as const, error } : {}) });
    };
    const { reader } = opened;

    return new ReadableStream<LanguageModelV3StreamPart>({
      start: (controller) => {
        for (const part of opened.buffered) controller.enqueue(tracker.observe(part));
        if (opened.buffered.some((part) => part.type === "finish")) {
          end();
          controller.close();
        }
      },
      pull: async (controller) => {
        if (ended) return;
        try {
          const { done, value } = await reader.read();
          if (done) {
            end(tracker.error);
            controller.close();
            return;
          }
          const part =
            value.type === "error" ? { ...value, error: this.classifyStreamError(value.error, deadline) } : value;
          controller.enqueue(tracker.observe(part));
        } catch (error) {
          const modelError = this.classifyStreamError(error, deadline);
          controller.enqueue({ type: "error", error: modelError });
          controller.enqueue({
            type: "finish",
            finishReason: { unified: "error", raw: undefined },
            usage: tracker.usage(),
          });
          end(modelError);
          controller.close();
        }
      },
      cancel: async (reason) => {
        end(new ModelError("aborted", "The model stream was cancelled by its reader.", { model: this.modelId }));
        await reader.cancel(reason).catch(() => {});
      },
    });
  }

  private classifyStreamError(error: unknown, deadline: CallDeadline): unknown {
    if (deadline.callerSignal?.aborted) {
      return new ModelError("aborted", "The model call was cancelled.", { model: this.modelId }, { cause: error });
    }
    if (deadline.signal.aborted) {
      return new ModelError(
        "timeout",
        `The model ${this.modelId} did not finish streaming within the call's deadline of ${deadline.deadlineMs} ms.`,
        { model: this.modelId },
        { cause: error },
      );
    }
    return classifyAttemptError(error, this.runtime.context);
  }

  private report(
    state: CallState,
    outcome: { finishReason: FinishReason; usage?: LanguageModelV3Usage; responseModel?: string; error?: unknown },
  ): void {
    this.callOptions.onCallEnd?.({
      state,
      finishReason: outcome.finishReason,
      promptTokens: outcome.usage?.inputTokens.total ?? 0,
      completionTokens: outcome.usage?.outputTokens.total ?? 0,
      // Azure's first stream chunk carries an empty model name, so an empty one counts as absent.
      model: outcome.responseModel || this.modelId,
      error: outcome.error,
    });
  }
}

interface OpenedStream {
  result: LanguageModelV3StreamResult;
  reader: ReadableStreamDefaultReader<LanguageModelV3StreamPart>;
  buffered: LanguageModelV3StreamPart[];
  release: () => void;
}

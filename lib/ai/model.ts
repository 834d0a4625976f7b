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
  /**
   * Streams only: text deltas are passed on at most this often, in milliseconds, the ones between
   * merged. The first goes out at once. 0 or absent passes each delta on.
   */
  textIntervalMs?: number;
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

  /**
   * Pass the provider's parts through, recording the first token, usage and the end of the call.
   * With `textIntervalMs`, text deltas that arrive within the interval after the last one passed
   * on are merged. A provider sends one event per token, and each part costs the AI SDK's stream
   * pipeline the same work downstream, whatever its length.
   */
  private relayStream(
    opened: OpenedStream,
    state: CallState,
    deadline: CallDeadline,
  ): ReadableStream<LanguageModelV3StreamPart> {
    const tracker = new StreamTracker(state);
    const merger = new TextDeltaMerger(this.callOptions.textIntervalMs ?? 0);
    let ended = false;
    const end = (error?: unknown) => {
      if (ended) return;
      ended = true;
      merger.dispose();
      state.endedAt = performance.now();
      opened.release();
      deadline.dispose();
      this.report(state, { ...tracker.summary(), ...(error ? { finishReason: "error" as const, error } : {}) });
    };
    const { reader } = opened;
    let pendingRead: Promise<ReadableStreamReadResult<LanguageModelV3StreamPart>> | undefined;

    return new ReadableStream<LanguageModelV3StreamPart>({
      start: (controller) => {
        for (const part of opened.buffered) merger.pass(tracker.observe(part), controller);
        if (opened.buffered.some((part) => part.type === "finish")) {
          end();
          controller.close();
        }
      },
      pull: async (controller) => {
        if (ended) return;
        try {
          // Read until a part goes out: merged text waits for the next part or for its interval.
          for (;;) {
            pendingRead ??= reader.read();
            const result = await merger.race(pendingRead);
            if (!result) {
              merger.flush(controller);
              return;
            }
            pendingRead = undefined;
            if (result.done) {
              merger.flush(controller);
              end(tracker.error);
              controller.close();
              return;
            }
            const value = result.value;
            const part =
              value.type === "error" ? { ...value, error: this.classifyStreamError(value.error, deadline) } : value;
            if (merger.pass(tracker.observe(part), controller)) return;
          }
        } catch (error) {
          merger.flush(controller);
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

type TextDeltaPart = Extract<LanguageModelV3StreamPart, { type: "text-delta" }>;
type PartController = ReadableStreamDefaultController<LanguageModelV3StreamPart>;

/**
 * Merges the text deltas of a stream that arrive less than `intervalMs` after the last text passed
 * on. Any other part, or a delta of another text block, passes the pending text on first, so the
 * order of parts is kept.
 */
class TextDeltaMerger {
  private pendingText: TextDeltaPart | undefined;
  private sentAt = Number.NEGATIVE_INFINITY;
  private windowEnd: Promise<undefined> | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly intervalMs: number) {}

  /** Take a part; returns true when something was enqueued. */
  pass(part: LanguageModelV3StreamPart, controller: PartController): boolean {
    if (part.type !== "text-delta" || this.intervalMs <= 0) {
      this.flush(controller);
      controller.enqueue(part);
      return true;
    }
    if (this.pendingText && this.pendingText.id !== part.id) this.flush(controller);
    this.pendingText = this.pendingText ? { ...this.pendingText, delta: this.pendingText.delta + part.delta } : part;
    if (performance.now() - this.sentAt < this.intervalMs) return false;
    this.flush(controller);
    return true;
  }

  /** Wait for `read`, or while text is pending, at most until its interval is over (then undefined). */
  race<T>(read: Promise<T>): Promise<T | undefined> {
    if (!this.pendingText) return read;
    this.windowEnd ??= new Promise<undefined>((resolve) => {
      this.timer = setTimeout(() => resolve(undefined), Math.max(0, this.sentAt + this.intervalMs - performance.now()));
    });
    return Promise.race([read, this.windowEnd]);
  }

  flush(controller: PartController): void {
    this.dispose();
    if (!this.pendingText) return;
    controller.enqueue(this.pendingText);
    // An empty delta (some providers open the text with one) does not start an interval, so the
    // first real token still goes out at once.
    if (this.pendingText.delta !== "") this.sentAt = performance.now();
    this.pendingText = undefined;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.windowEnd = undefined;
  }
}

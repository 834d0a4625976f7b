import type { LanguageModelV3 } from "@ai-sdk/provider";
import { generateText, streamText } from "ai";
import { logger } from "@/lib/logger";
import type { RetryPolicy } from "./attempts";
import { prepareStructuredOutput, samplingSettings, summarizeAccounting } from "./chat-output";
import type { CallContext } from "./classify";
import { KeyedLimiter } from "./concurrency";
import {
  type GatewayConfig,
  type GatewayConfigInput,
  type ModelNames,
  type ModelRole,
  SIMULATED_MODEL_NAMES,
  withGatewayDefaults,
} from "./config";
import { embedTextsWith } from "./embed";
import { ModelError } from "./errors";
import { createFineTuningClient, type FineTuningClient } from "./fine-tuning";
import { GatewayLanguageModel, type ModelCallRecord } from "./model";
import { estimateCostUsd, findPrice } from "./prices";
import { createProviderModels, type ProviderModels, type ReadyProviderConfig } from "./providers";
import type { SimulatorHandle } from "./simulator/types";
import type { StructuredMode } from "./structured";
import type {
  ChatAccounting,
  ChatCallParams,
  ChatCallResult,
  EmbedOptions,
  EmbedResult,
  GenerateChatParams,
  ModelInfo,
  StreamAccounting,
} from "./types";

export interface StreamChatParams extends ChatCallParams {
  /** Called once with the `ModelError` (or other error) that ended the stream, after it is logged. */
  onError?: (error: unknown) => void;
}

export interface StreamChatResult {
  result: ReturnType<typeof streamText>;
  /** Resolves when the stream ends, also when it fails (then with `finishReason: "error"` and `error`). */
  accounting: Promise<StreamAccounting>;
}

export interface Gateway {
  readonly config: GatewayConfig;
  generateChat(params: GenerateChatParams): Promise<ChatCallResult>;
  streamChat(params: StreamChatParams): StreamChatResult;
  /** The chat model of a role, with the gateway's retries and limits, for `streamText`/`generateText` with `maxRetries: 0`. */
  getLanguageModel(
    role: ModelRole,
    options?: { deadlineMs?: number; promptKey?: string; textIntervalMs?: number },
  ): LanguageModelV3;
  embedTexts(texts: string[], options?: EmbedOptions): Promise<EmbedResult>;
  /** Files and fine-tuning jobs of the configured provider, through the `openai` SDK. */
  getFineTuningClient(): Promise<FineTuningClient>;
  getModelInfo(): ModelInfo;
  /** Start the in-process simulator when configured, and build the provider's models. */
  ready(): Promise<void>;
  /** Stop the simulator this gateway started, if any. */
  close(): Promise<void>;
}

export function createGateway(input: GatewayConfigInput): Gateway {
  const config = withGatewayDefaults(input);
  const provider = config.provider;
  const names: ModelNames =
    provider.kind === "simulator" ? (provider.models ?? SIMULATED_MODEL_NAMES) : provider.models;
  const limiter = new KeyedLimiter(config.concurrency);
  const log = logger.child({ component: "model-gateway", provider: provider.kind });
  const policy: RetryPolicy = {
    maxRetries: config.maxRetries,
    maxRetryWaitMs: config.maxRetryWaitMs,
    attemptTimeoutMs: config.attemptTimeoutMs,
    backoffBaseMs: config.backoffBaseMs,
    backoffMaxMs: config.backoffMaxMs,
    random: config.random,
  };
  const loggedDowngrades = new Set<string>();
  let simulator: SimulatorHandle | undefined;
  let ready: Promise<{ provider: ReadyProviderConfig; models: ProviderModels }> | undefined;

  const resolveReady = () => {
    ready ??= prepareProvider().catch((error: unknown) => {
      ready = undefined;
      throw error;
    });
    return ready;
  };
  const resolveModels = async (): Promise<ProviderModels> => (await resolveReady()).models;

  async function prepareProvider(): Promise<{ provider: ReadyProviderConfig; models: ProviderModels }> {
    if (provider.kind !== "simulator") return { provider, models: createProviderModels(provider) };
    let url = provider.url;
    if (!url) {
      const { startSimulator } = await import("./simulator/server");
      simulator = await startSimulator({ ...provider.simulator, host: "127.0.0.1" });
      url = simulator.url;
      log.info({ url }, "model simulator started in-process");
    }
    const simulated: ReadyProviderConfig = { kind: "simulator", url, models: names };
    return { provider: simulated, models: createProviderModels(simulated) };
  }

  const contextFor = (role: CallContext["role"], promptKey?: string): CallContext => ({
    providerKind: provider.kind,
    role,
    model: role === "embedding" ? (names.embedding ?? "") : names[role],
    apiVersion: provider.kind === "azure" ? provider.apiVersion : undefined,
    promptKey,
  });

  const createModel = (
    role: ModelRole,
    options: {
      deadlineMs?: number;
      promptKey?: string;
      signal?: AbortSignal;
      onCallEnd?: (r: ModelCallRecord) => void;
      textIntervalMs?: number;
    },
  ) =>
    new GatewayLanguageModel(
      {
        resolveTarget: async () => (await resolveModels()).chat(role),
        providerName: provider.kind,
        context: contextFor(role, options.promptKey),
        policy,
        limiter,
        log,
      },
      {
        deadlineMs: options.deadlineMs ?? config.deadlineMs,
        signal: options.signal,
        onCallEnd: options.onCallEnd,
        textIntervalMs: options.textIntervalMs,
      },
    );

  const account = (role: ModelRole, record: ModelCallRecord, structuredMode: StructuredMode): ChatAccounting => {
    const usage = { promptTokens: record.promptTokens, completionTokens: record.completionTokens };
    const endedAt = record.state.endedAt ?? performance.now();
    const price = findPrice(config.prices, [names[role], record.model]);
    return {
      finishReason: record.finishReason,
      usage,
      latencyMs: Math.round(endedAt - record.state.startedAt),
      ttftMs:
        record.state.firstTokenAt === undefined ? null : Math.round(record.state.firstTokenAt - record.state.startedAt),
      costUsd: estimateCostUsd(price, usage),
      model: record.model,
      provider: provider.kind,
      structuredMode,
      transportAttempts: record.state.attempts,
      retryWaitsMs: [...record.state.retryWaitsMs],
    };
  };

  async function generateChat(params: GenerateChatParams): Promise<ChatCallResult> {
    const { output, mode } = prepareStructuredOutput(params, { config, log, loggedDowngrades });
    let record: ModelCallRecord | undefined;
    const model = createModel(params.role, { ...params, onCallEnd: (r) => (record = r) });
    try {
      const result = await generateText({
        model,
        messages: params.messages,
        // System messages come from published prompt templates; user data travels in user messages.
        allowSystemInMessages: true,
        ...samplingSettings(params),
        ...(output ? { output } : {}),
        providerOptions: { openai: { strictJsonSchema: true } },
        headers: params.headers,
        abortSignal: params.signal,
        maxRetries: 0,
      });
      if (!record) throw new Error("the gateway model did not report its call");
      const accounting = account(params.role, record, mode);
      log.debug(
        { promptKey: params.promptKey, role: params.role, ...summarizeAccounting(accounting) },
        "model call finished",
      );
      return { text: result.text, ...accounting };
    } catch (error) {
      throw record?.error instanceof ModelError ? record.error : error;
    }
  }

  function streamChat(params: StreamChatParams): StreamChatResult {
    let resolveAccounting: (value: StreamAccounting) => void = () => {};
    const accounting = new Promise<StreamAccounting>((resolve) => {
      resolveAccounting = resolve;
    });
    const model = createModel(params.role, {
      ...params,
      onCallEnd: (record) => {
        const result: StreamAccounting = {
          ...account(params.role, record, "none"),
          ...(record.error ? { error: record.error } : {}),
        };
        log.debug(
          { promptKey: params.promptKey, role: params.role, ...summarizeAccounting(result) },
          "model stream finished",
        );
        resolveAccounting(result);
      },
    });
    const result = streamText({
      model,
      messages: params.messages,
      allowSystemInMessages: true,
      ...samplingSettings(params),
      headers: params.headers,
      abortSignal: params.signal,
      maxRetries: 0,
      onError: ({ error }) => {
        const modelError = error instanceof ModelError ? error : undefined;
        log.warn({ err: error, kind: modelError?.kind, promptKey: params.promptKey }, "model stream failed");
        params.onError?.(error);
      },
    });
    return { result, accounting };
  }

  return {
    config,
    generateChat,
    streamChat,
    getLanguageModel: (role, options = {}) =>
      createModel(role, {
        ...options,
        onCallEnd: (record) =>
          log.debug({ role, ...summarizeAccounting(account(role, record, "none")) }, "model call finished"),
      }),
    embedTexts: async (texts, options = {}) => {
      const built = await resolveModels();
      return embedTextsWith(texts, options, {
        model: built.embedding(),
        context: contextFor("embedding"),
        policy,
        limiter,
        log,
        deadlineMs: options.deadlineMs ?? config.deadlineMs,
        prices: config.prices,
      });
    },
    getFineTuningClient: async () =>
      createFineTuningClient({
        provider: (await resolveReady()).provider,
        names,
        context: contextFor("fast"),
        policy,
        limiter,
        log,
        deadlineMs: config.deadlineMs,
      }),
    getModelInfo: () => ({ provider: provider.kind, simulated: provider.kind === "simulator", models: { ...names } }),
    ready: async () => {
      await resolveModels();
    },
    close: async () => {
      await simulator?.close();
      simulator = undefined;
      ready = undefined;
    },
  };
}

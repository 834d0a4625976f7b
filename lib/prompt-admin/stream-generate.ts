import { type FinishReason as SdkFinishReason, streamText } from "ai";
import { type Gateway, getGateway } from "@/lib/ai";
import { prepareStructuredOutput, samplingSettings } from "@/lib/ai/chat-output";
import { estimateCostUsd, findPrice } from "@/lib/ai/prices";
import type { ChatCallResult, FinishReason, GenerateChatParams } from "@/lib/ai/types";
import { logger } from "@/lib/logger";
import type { GenerateChat } from "@/lib/pipeline/structured-call";

/**
 * A `generate` function for the pipeline's structured call that streams: it sends the same
 * request as the gateway's `generateChat` (structured-output mode, sampling, retries through the
 * gateway's model) but hands each text delta to `onDelta` as it arrives, so a test run shows the
 * answer live. Returns the same `ChatCallResult`, with the time to first token measured.
 */
export function createStreamingGenerate(options: {
  onDelta: (delta: string, attempt: number) => void;
  gateway?: Gateway;
}): GenerateChat {
  const loggedDowngrades = new Set<string>();
  let attempt = 0;

  return async (params: GenerateChatParams): Promise<ChatCallResult> => {
    const gateway = options.gateway ?? getGateway();
    attempt++;
    const currentAttempt = attempt;
    const log = logger.child({ component: "prompt-test-stream", promptKey: params.promptKey });
    const { output, mode } = prepareStructuredOutput(params, { config: gateway.config, log, loggedDowngrades });
    const model = gateway.getLanguageModel(params.role, { promptKey: params.promptKey, deadlineMs: params.deadlineMs });

    let streamError: unknown;
    const startedAt = performance.now();
    let firstTokenAt: number | undefined;
    const result = streamText({
      model,
      messages: params.messages,
      allowSystemInMessages: true,
      ...samplingSettings(params),
      ...(output ? { output } : {}),
      providerOptions: { openai: { strictJsonSchema: true } },
      headers: params.headers,
      abortSignal: params.signal,
      maxRetries: 0,
      onError: ({ error }) => {
        streamError = error;
      },
    });

    let text = "";
    for await (const delta of result.textStream) {
      firstTokenAt ??= performance.now();
      text += delta;
      options.onDelta(delta, currentAttempt);
    }
    if (streamError) throw streamError;

    const [usage, finishReason, response] = await Promise.all([result.usage, result.finishReason, result.response]);
    const endedAt = performance.now();
    const tokens = { promptTokens: usage.inputTokens ?? 0, completionTokens: usage.outputTokens ?? 0 };
    const deploymentName = gateway.getModelInfo().models[params.role];
    return {
      text,
      finishReason: mapFinishReason(finishReason),
      usage: tokens,
      latencyMs: Math.round(endedAt - startedAt),
      ttftMs: firstTokenAt === undefined ? null : Math.round(firstTokenAt - startedAt),
      costUsd: estimateCostUsd(findPrice(gateway.config.prices, [deploymentName, response.modelId]), tokens),
      model: response.modelId || deploymentName,
      provider: gateway.getModelInfo().provider,
      structuredMode: mode,
      // NOTE: the gateway's model retries inside the stream but does not report the count here.
      transportAttempts: 1,
      retryWaitsMs: [],
    };
  };
}

function mapFinishReason(reason: SdkFinishReason): FinishReason {
  switch (reason) {
    case "stop":
    case "length":
    case "error":
      return reason;
    case "content-filter":
      return "content_filter";
    default:
      return "other";
  }
}

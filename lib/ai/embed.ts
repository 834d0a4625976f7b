import type { EmbeddingModelV3, EmbeddingModelV3Result } from "@ai-sdk/provider";
import type { Logger } from "@/lib/logger";
import {
  type CallDeadline,
  type CallState,
  createCallState,
  type RetryPolicy,
  runWithRetries,
  startDeadline,
} from "./attempts";
import { type CallContext, roleVariable } from "./classify";
import type { KeyedLimiter } from "./concurrency";
import { ModelError } from "./errors";
import { estimateCostUsd, findPrice, type PriceTable } from "./prices";
import type { EmbedOptions, EmbedResult } from "./types";

const DEFAULT_BATCH_SIZE = 128;

export interface EmbedRuntime {
  model: EmbeddingModelV3 | undefined;
  context: CallContext;
  policy: RetryPolicy;
  limiter: KeyedLimiter;
  log: Logger;
  deadlineMs: number;
  prices: PriceTable;
}

/**
 * Embed texts in batches, each batch with the gateway's retries and concurrency slot, all under one
 * deadline. Embeddings come back in the order of `texts`.
 */
export async function embedTextsWith(
  texts: string[],
  options: EmbedOptions,
  runtime: EmbedRuntime,
): Promise<EmbedResult> {
  const { model, context } = runtime;
  if (!model) {
    throw new ModelError(
      "not_configured",
      `No embedding model is configured. Set ${roleVariable({ providerKind: context.providerKind, role: "embedding" })}.`,
    );
  }
  const state = createCallState();
  if (texts.length === 0) return summarize(model, runtime, state, []);

  const batchSize = Math.max(1, Math.min(options.batchSize ?? DEFAULT_BATCH_SIZE, 2048));
  const batches: string[][] = [];
  for (let start = 0; start < texts.length; start += batchSize) batches.push(texts.slice(start, start + batchSize));

  // One failed batch fails the call, so the batches still in flight are cancelled with it.
  const failFast = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, failFast.signal]) : failFast.signal;
  const deadline = startDeadline(options.deadlineMs ?? runtime.deadlineMs, signal);
  try {
    const results = await Promise.all(
      batches.map((values) =>
        embedBatch(values, model, { options, runtime, state, deadline }).catch((error: unknown) => {
          failFast.abort();
          throw error;
        }),
      ),
    );
    return summarize(model, runtime, state, results);
  } finally {
    deadline.dispose();
  }
}

function embedBatch(
  values: string[],
  model: EmbeddingModelV3,
  call: { options: EmbedOptions; runtime: EmbedRuntime; state: CallState; deadline: CallDeadline },
): Promise<EmbeddingModelV3Result> {
  const { options, runtime } = call;
  return runWithRetries({
    context: runtime.context,
    policy: runtime.policy,
    state: call.state,
    deadline: call.deadline,
    limiter: runtime.limiter,
    limiterKey: `${model.provider}:${model.modelId}`,
    log: runtime.log,
    run: async (attempt) => {
      try {
        return await model.doEmbed({
          values,
          abortSignal: attempt.signal,
          headers: options.headers,
          providerOptions: options.dimensions ? { openai: { dimensions: options.dimensions } } : undefined,
        });
      } finally {
        attempt.release();
      }
    },
  });
}

function summarize(
  model: EmbeddingModelV3,
  runtime: EmbedRuntime,
  state: CallState,
  results: EmbeddingModelV3Result[],
): EmbedResult {
  const embeddings = results.flatMap((result) => result.embeddings);
  const tokens = results.reduce((sum, result) => sum + (result.usage?.tokens ?? 0), 0);
  const price = findPrice(runtime.prices, [model.modelId]);
  return {
    embeddings,
    model: model.modelId,
    dimensions: embeddings[0]?.length ?? 0,
    usage: { tokens },
    latencyMs: Math.round(performance.now() - state.startedAt),
    costUsd: estimateCostUsd(price, { promptTokens: tokens, completionTokens: 0 }),
    transportAttempts: state.attempts,
    retryWaitsMs: [...state.retryWaitsMs],
  };
}

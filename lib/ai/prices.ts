/** USD per million tokens. */
export interface ModelPrice {
  input: number;
  output: number;
}

export type PriceTable = Record<string, ModelPrice>;

/**
 * List prices of OpenAI's standard tier, in USD per million tokens, as published for these models in
 * 2025 (Azure's global deployments charge the same). Override or extend with `MODEL_PRICES`; the
 * simulator is free.
 */
export const defaultPrices: PriceTable = {
  "gpt-4o-mini": { input: 0.15, output: 0.6 },
  "gpt-4o": { input: 2.5, output: 10 },
  "gpt-4.1-mini": { input: 0.4, output: 1.6 },
  "gpt-4.1-nano": { input: 0.1, output: 0.4 },
  "gpt-4.1": { input: 2, output: 8 },
  "text-embedding-3-small": { input: 0.02, output: 0 },
  "text-embedding-3-large": { input: 0.13, output: 0 },
  "simulated-": { input: 0, output: 0 },
};

/**
 * Find the price of a model: an exact key first, then the longest key that the name starts with
 * (so `gpt-4o-mini-2024-07-18` uses `gpt-4o-mini`, not `gpt-4o`). Candidates are tried in order,
 * typically the deployment name and then the model the response reports.
 */
export function findPrice(prices: PriceTable, candidates: ReadonlyArray<string | undefined>): ModelPrice | undefined {
  const names = candidates.filter((name): name is string => Boolean(name));
  for (const name of names) {
    const exact = prices[name];
    if (exact) return exact;
  }
  for (const name of names) {
    const prefix = Object.keys(prices)
      .filter((key) => name.startsWith(key))
      .sort((a, b) => b.length - a.length)[0];
    if (prefix) return prices[prefix];
  }
  return undefined;
}

/** Estimated cost in USD; `null` when no price is known for the model. */
export function estimateCostUsd(
  price: ModelPrice | undefined,
  usage: { promptTokens: number; completionTokens: number },
): number | null {
  if (!price) return null;
  const cost = (usage.promptTokens * price.input + usage.completionTokens * price.output) / 1_000_000;
  return Math.round(cost * 1e8) / 1e8;
}

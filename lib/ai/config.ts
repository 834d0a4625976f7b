import type { AiEnv } from "@/lib/ai/env-schema";
import { InvalidEnvError } from "@/lib/env";
import { defaultPrices, type PriceTable } from "./prices";
import type { SimulatorOptions } from "./simulator/types";

export type ModelRole = "fast" | "smart";
export type ProviderKind = "azure" | "openai" | "compatible" | "simulator";
export type StructuredOutputSetting = "auto" | "json_schema" | "json_object";

export interface ModelNames {
  fast: string;
  smart: string;
  /** Unset when the deployment has no embedding model; `embedTexts` then fails with `not_configured`. */
  embedding?: string;
}

export type ProviderConfig =
  | {
      kind: "azure";
      /** Resource endpoint without a path, such as https://my-resource.openai.azure.com. */
      endpoint: string;
      apiKey?: string;
      /** Microsoft Entra ID bearer token, sent instead of an API key. */
      adToken?: string;
      /** A dated version selects deployment URLs; undefined, `v1` or `preview` select the `/openai/v1` route. */
      apiVersion?: string;
      models: ModelNames;
    }
  | { kind: "openai"; apiKey: string; baseURL?: string; models: ModelNames }
  | { kind: "compatible"; baseURL: string; apiKey?: string; models: ModelNames }
  | {
      kind: "simulator";
      /** Base URL of a running simulator; when absent the gateway starts one in-process on first use. */
      url?: string;
      simulator?: Partial<SimulatorOptions>;
      models?: ModelNames;
    };

export interface GatewayConfig {
  provider: ProviderConfig;
  /** Concurrent requests per deployment (or model) in this process. */
  concurrency: number;
  /** Default deadline of a whole call, retries and waits included, in milliseconds. */
  deadlineMs: number;
  /** Time one HTTP attempt may take before it is cancelled and retried; for streams, until the first token. */
  attemptTimeoutMs: number;
  /** Retries after the first attempt. */
  maxRetries: number;
  /** Longest wait a server may request through retry headers before the call fails instead. */
  maxRetryWaitMs: number;
  /** Exponential backoff without server guidance: full jitter in [0, min(max, base * 2^retry)). */
  backoffBaseMs: number;
  backoffMaxMs: number;
  structuredOutput: StructuredOutputSetting;
  /** USD per million tokens, keyed by deployment or model name (longest prefix wins). */
  prices: PriceTable;
  /** Source of jitter; tests pass a fixed function. */
  random: () => number;
}

export type GatewayConfigInput = Pick<GatewayConfig, "provider"> & Partial<Omit<GatewayConfig, "provider">>;

export const SIMULATED_MODEL_NAMES: ModelNames = {
  fast: "simulated-fast",
  smart: "simulated-smart",
  embedding: "simulated-embedding",
};

const OPENAI_DEFAULT_MODELS: ModelNames = {
  fast: "gpt-4o-mini",
  smart: "gpt-4o",
  embedding: "text-embedding-3-small",
};

export function withGatewayDefaults(input: GatewayConfigInput): GatewayConfig {
  return {
    concurrency: 8,
    deadlineMs: 120_000,
    attemptTimeoutMs: 60_000,
    maxRetries: 4,
    maxRetryWaitMs: 60_000,
    backoffBaseMs: 500,
    backoffMaxMs: 8_000,
    structuredOutput: "auto",
    prices: defaultPrices,
    random: Math.random,
    ...input,
  };
}

/**
 * Turn environment variables into a gateway configuration. Throws `InvalidEnvError` naming each
 * variable that is missing or contradicts another, so start-up stops with a message to act on.
 */
export function resolveGatewayConfig(env: AiEnv): GatewayConfig {
  const provider = resolveProvider(env);
  return withGatewayDefaults({
    provider,
    concurrency: env.MODEL_CONCURRENCY,
    deadlineMs: env.MODEL_TIMEOUT_MS,
    attemptTimeoutMs: Math.min(env.MODEL_ATTEMPT_TIMEOUT_MS, env.MODEL_TIMEOUT_MS),
    maxRetries: env.MODEL_MAX_RETRIES,
    maxRetryWaitMs: env.MODEL_MAX_RETRY_WAIT_MS,
    structuredOutput: env.MODEL_STRUCTURED_OUTPUT,
    prices: { ...defaultPrices, ...(env.MODEL_PRICES ?? {}) },
  });
}

function resolveProvider(env: AiEnv): ProviderConfig {
  const kind = env.AI_PROVIDER === "auto" ? detectProviderKind(env) : env.AI_PROVIDER;
  switch (kind) {
    case "azure":
      return resolveAzure(env);
    case "openai":
      return resolveOpenAI(env);
    case "compatible":
      return resolveCompatible(env);
    case "simulator":
      return {
        kind: "simulator",
        simulator: {
          port: env.SIMULATOR_PORT,
          seed: env.SIMULATOR_SEED,
          ttftMs: env.SIMULATOR_TTFT_MS,
          tokensPerSecond: env.SIMULATOR_TOKENS_PER_SECOND,
          latencyMs: env.SIMULATOR_LATENCY_MS,
          faultRate: env.SIMULATOR_FAULT_RATE,
        },
      };
  }
}

/** With `AI_PROVIDER=auto`: Azure settings win, then a base URL, then an OpenAI key, else the simulator. */
export function detectProviderKind(env: AiEnv): ProviderKind {
  if (env.AZURE_OPENAI_ENDPOINT || env.AZURE_OPENAI_RESOURCE_NAME) return "azure";
  if (env.OPENAI_BASE_URL) return isOpenAIHost(env.OPENAI_BASE_URL) ? "openai" : "compatible";
  if (env.OPENAI_API_KEY) return "openai";
  return "simulator";
}

function isOpenAIHost(url: string): boolean {
  return new URL(url).hostname === "api.openai.com";
}

function resolveAzure(env: AiEnv): ProviderConfig {
  const issues: string[] = [];
  if (!env.AZURE_OPENAI_ENDPOINT && !env.AZURE_OPENAI_RESOURCE_NAME) {
    issues.push(
      "AZURE_OPENAI_ENDPOINT: required for Azure OpenAI (or set AZURE_OPENAI_RESOURCE_NAME), e.g. https://my-resource.openai.azure.com",
    );
  }
  if (env.AZURE_OPENAI_ENDPOINT && env.AZURE_OPENAI_RESOURCE_NAME) {
    issues.push("AZURE_OPENAI_RESOURCE_NAME: set either it or AZURE_OPENAI_ENDPOINT, not both");
  }
  if (!env.AZURE_OPENAI_API_KEY && !env.AZURE_OPENAI_AD_TOKEN) {
    issues.push(
      "AZURE_OPENAI_API_KEY: required for Azure OpenAI (or set AZURE_OPENAI_AD_TOKEN for Microsoft Entra ID)",
    );
  }
  if (env.AZURE_OPENAI_API_KEY && env.AZURE_OPENAI_AD_TOKEN) {
    issues.push("AZURE_OPENAI_AD_TOKEN: set either it or AZURE_OPENAI_API_KEY, not both");
  }
  if (!env.AZURE_OPENAI_DEPLOYMENT_FAST) {
    issues.push("AZURE_OPENAI_DEPLOYMENT_FAST: required, the deployment name of the fast model (such as gpt-4o-mini)");
  }
  if (!env.AZURE_OPENAI_DEPLOYMENT_SMART) {
    issues.push("AZURE_OPENAI_DEPLOYMENT_SMART: required, the deployment name of the smart model (such as gpt-4o)");
  }
  if (env.OPENAI_BASE_URL && env.AI_PROVIDER === "auto") {
    issues.push("OPENAI_BASE_URL: ignored with Azure settings present; unset it or set AI_PROVIDER=compatible");
  }
  if (issues.length > 0) throw new InvalidEnvError(issues);

  const endpoint = env.AZURE_OPENAI_ENDPOINT
    ? normalizeAzureEndpoint(env.AZURE_OPENAI_ENDPOINT)
    : `https://${env.AZURE_OPENAI_RESOURCE_NAME}.openai.azure.com`;
  return {
    kind: "azure",
    endpoint,
    apiKey: env.AZURE_OPENAI_API_KEY,
    adToken: env.AZURE_OPENAI_AD_TOKEN,
    apiVersion: env.AZURE_OPENAI_API_VERSION,
    models: {
      fast: env.AZURE_OPENAI_DEPLOYMENT_FAST as string,
      smart: env.AZURE_OPENAI_DEPLOYMENT_SMART as string,
      embedding: env.AZURE_OPENAI_DEPLOYMENT_EMBEDDING,
    },
  };
}

/** Accept the endpoint as the portal shows it, with or without `/openai` or `/openai/v1`. */
export function normalizeAzureEndpoint(endpoint: string): string {
  const url = new URL(endpoint);
  const path = url.pathname.replace(/\/+$/, "").replace(/\/openai(\/v1)?$/i, "");
  return `${url.origin}${path}`;
}

function resolveOpenAI(env: AiEnv): ProviderConfig {
  if (!env.OPENAI_API_KEY) {
    throw new InvalidEnvError(["OPENAI_API_KEY: required for OpenAI; create one at the OpenAI dashboard"]);
  }
  return { kind: "openai", apiKey: env.OPENAI_API_KEY, baseURL: env.OPENAI_BASE_URL, models: openAIModels(env) };
}

function resolveCompatible(env: AiEnv): ProviderConfig {
  if (!env.OPENAI_BASE_URL) {
    throw new InvalidEnvError([
      "OPENAI_BASE_URL: required for an OpenAI-compatible server, e.g. http://127.0.0.1:11434/v1 for Ollama",
    ]);
  }
  return { kind: "compatible", baseURL: env.OPENAI_BASE_URL, apiKey: env.OPENAI_API_KEY, models: openAIModels(env) };
}

function openAIModels(env: AiEnv): ModelNames {
  return {
    fast: env.OPENAI_MODEL_FAST ?? OPENAI_DEFAULT_MODELS.fast,
    smart: env.OPENAI_MODEL_SMART ?? OPENAI_DEFAULT_MODELS.smart,
    embedding: env.OPENAI_MODEL_EMBEDDING ?? OPENAI_DEFAULT_MODELS.embedding,
  };
}

import { createAzure } from "@ai-sdk/azure";
import { createOpenAI } from "@ai-sdk/openai";
import type { EmbeddingModelV3, LanguageModelV3 } from "@ai-sdk/provider";
import { type ModelNames, type ModelRole, type ProviderConfig, SIMULATED_MODEL_NAMES } from "./config";

/** The AI SDK models behind one configured provider, always through chat completions. */
export interface ProviderModels {
  names: ModelNames;
  chat(role: ModelRole): LanguageModelV3;
  embedding(): EmbeddingModelV3 | undefined;
}

/** A provider whose simulator URL, if any, is known. */
export type ReadyProviderConfig =
  | Exclude<ProviderConfig, { kind: "simulator" }>
  | { kind: "simulator"; url: string; models?: ModelNames };

/** Return true when an Azure configuration uses `/openai/deployments/{name}` URLs with a dated `api-version`. */
export function usesAzureDeploymentUrls(apiVersion: string | undefined): boolean {
  return apiVersion !== undefined && apiVersion !== "v1" && apiVersion !== "preview";
}

export function createProviderModels(provider: ReadyProviderConfig): ProviderModels {
  switch (provider.kind) {
    case "azure":
      return createAzureModels(provider);
    case "openai":
      return createOpenAIModels(provider.models, {
        apiKey: provider.apiKey,
        baseURL: provider.baseURL,
        name: "openai",
      });
    case "compatible":
      // Local servers often need no key, but the SDK requires one; they ignore the placeholder.
      return createOpenAIModels(provider.models, {
        apiKey: provider.apiKey ?? "not-needed",
        baseURL: provider.baseURL,
        name: "compatible",
      });
    case "simulator":
      return createOpenAIModels(provider.models ?? SIMULATED_MODEL_NAMES, {
        apiKey: "simulator",
        baseURL: `${provider.url}/v1`,
        name: "simulator",
      });
  }
}

function createOpenAIModels(
  names: ModelNames,
  settings: { apiKey: string; baseURL?: string; name: string },
): ProviderModels {
  const provider = createOpenAI(settings);
  return {
    names,
    chat: (role) => provider.chat(names[role]),
    embedding: () => (names.embedding ? provider.embedding(names.embedding) : undefined),
  };
}

function createAzureModels(config: Extract<ProviderConfig, { kind: "azure" }>): ProviderModels {
  const deploymentUrls = usesAzureDeploymentUrls(config.apiVersion);
  // NOTE: the Entra ID token is read once from the environment and Entra access tokens expire, so a
  // long-running process needs a restart with a new token, or an API key.
  const token = config.adToken;
  const provider = createAzure({
    // The provider appends `/deployments/{name}` or, for a base ending in `/openai/v1`, the path alone.
    baseURL: deploymentUrls ? `${config.endpoint}/openai` : `${config.endpoint}/openai/v1`,
    apiKey: token ? undefined : config.apiKey,
    tokenProvider: token ? async () => token : undefined,
    apiVersion: deploymentUrls ? config.apiVersion : undefined,
    useDeploymentBasedUrls: deploymentUrls,
  });
  return {
    names: config.models,
    chat: (role) => provider.chat(config.models[role]),
    embedding: () => (config.models.embedding ? provider.embedding(config.models.embedding) : undefined),
  };
}

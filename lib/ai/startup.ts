import { logger } from "@/lib/logger";
import { getGateway } from "./index";

/**
 * Start-up step of the model gateway: build it from the environment (an invalid combination stops
 * start-up with the variable named), start the in-process simulator when it is the provider, and
 * log which provider and models serve this process. Keys and tokens are never logged.
 */
export async function startModelGateway(): Promise<void> {
  const gateway = getGateway();
  await gateway.ready();

  const info = gateway.getModelInfo();
  const provider = gateway.config.provider;
  logger.info(
    {
      provider: info.provider,
      models: info.models,
      ...(provider.kind === "azure" ? { endpoint: provider.endpoint, apiVersion: provider.apiVersion ?? "v1" } : {}),
      ...(provider.kind === "compatible" ? { baseURL: withoutCredentials(provider.baseURL) } : {}),
    },
    info.simulated
      ? "model gateway ready: simulated model (no provider credentials configured)"
      : `model gateway ready: ${info.provider}`,
  );
}

function withoutCredentials(url: string): string {
  const parsed = new URL(url);
  parsed.username = "";
  parsed.password = "";
  return parsed.toString();
}

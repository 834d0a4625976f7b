import { describe, expect, it } from "vitest";
import { InvalidEnvError, parseEnv } from "@/lib/env";
import { normalizeAzureEndpoint, resolveGatewayConfig } from "./config";

function resolve(raw: Record<string, string>) {
  return resolveGatewayConfig(parseEnv({ NODE_ENV: "test", ...raw }));
}

function issuesOf(raw: Record<string, string>): string[] {
  try {
    resolve(raw);
  } catch (error) {
    if (error instanceof InvalidEnvError) return error.issues;
    throw error;
  }
  return [];
}

describe("resolveGatewayConfig provider detection", () => {
  it("uses the simulator without credentials", () => {
    expect(resolve({}).provider.kind).toBe("simulator");
  });

  it("uses OpenAI with a key", () => {
    const config = resolve({ OPENAI_API_KEY: "sk-test" });

    expect(config.provider).toMatchObject({ kind: "openai", models: { fast: "gpt-4o-mini", smart: "gpt-4o" } });
  });

  it("uses the compatible path with a base URL", () => {
    const config = resolve({ OPENAI_BASE_URL: "http://127.0.0.1:4010/v1", OPENAI_MODEL_FAST: "llama3.1" });

    expect(config.provider).toMatchObject({ kind: "compatible", baseURL: "http://127.0.0.1:4010/v1" });
    expect(config.provider).toMatchObject({ models: { fast: "llama3.1", smart: "gpt-4o" } });
  });

  it("uses Azure with an endpoint, key and deployments", () => {
    const config = resolve({
      AZURE_OPENAI_ENDPOINT: "https://my-resource.openai.azure.com/openai/v1/",
      AZURE_OPENAI_API_KEY: "key",
      AZURE_OPENAI_DEPLOYMENT_FAST: "mini",
      AZURE_OPENAI_DEPLOYMENT_SMART: "4o",
    });

    expect(config.provider).toMatchObject({ kind: "azure", endpoint: "https://my-resource.openai.azure.com" });
  });

  it("builds the Azure endpoint from a resource name", () => {
    const config = resolve({
      AZURE_OPENAI_RESOURCE_NAME: "my-resource",
      AZURE_OPENAI_AD_TOKEN: "token",
      AZURE_OPENAI_DEPLOYMENT_FAST: "mini",
      AZURE_OPENAI_DEPLOYMENT_SMART: "4o",
      AZURE_OPENAI_API_VERSION: "2024-10-21",
    });

    expect(config.provider).toMatchObject({
      kind: "azure",
      endpoint: "https://my-resource.openai.azure.com",
      adToken: "token",
      apiVersion: "2024-10-21",
    });
  });

  it("honours an explicit AI_PROVIDER", () => {
    expect(resolve({ AI_PROVIDER: "simulator", OPENAI_API_KEY: "sk-test" }).provider.kind).toBe("simulator");
  });
});

describe("resolveGatewayConfig validation", () => {
  it("names every missing Azure variable", () => {
    const issues = issuesOf({ AZURE_OPENAI_ENDPOINT: "https://x.openai.azure.com" });

    expect(issues.some((issue) => issue.startsWith("AZURE_OPENAI_API_KEY:"))).toBe(true);
    expect(issues.some((issue) => issue.startsWith("AZURE_OPENAI_DEPLOYMENT_FAST:"))).toBe(true);
    expect(issues.some((issue) => issue.startsWith("AZURE_OPENAI_DEPLOYMENT_SMART:"))).toBe(true);
  });

  it("rejects both a key and a token", () => {
    const issues = issuesOf({
      AZURE_OPENAI_ENDPOINT: "https://x.openai.azure.com",
      AZURE_OPENAI_API_KEY: "key",
      AZURE_OPENAI_AD_TOKEN: "token",
      AZURE_OPENAI_DEPLOYMENT_FAST: "a",
      AZURE_OPENAI_DEPLOYMENT_SMART: "b",
    });

    expect(issues).toEqual(["AZURE_OPENAI_AD_TOKEN: set either it or AZURE_OPENAI_API_KEY, not both"]);
  });

  it("requires a base URL for AI_PROVIDER=compatible", () => {
    expect(issuesOf({ AI_PROVIDER: "compatible" })[0]).toMatch(/^OPENAI_BASE_URL: required/);
  });

  it("requires a key for AI_PROVIDER=openai", () => {
    expect(issuesOf({ AI_PROVIDER: "openai" })[0]).toMatch(/^OPENAI_API_KEY: required/);
  });

  it("rejects a malformed price table", () => {
    expect(() => parseEnv({ MODEL_PRICES: "{not json" })).toThrow(/MODEL_PRICES/);
  });

  it("rejects a malformed api-version", () => {
    expect(() => parseEnv({ AZURE_OPENAI_API_VERSION: "latest" })).toThrow(/AZURE_OPENAI_API_VERSION/);
  });

  it("merges MODEL_PRICES over the defaults", () => {
    const config = resolve({ MODEL_PRICES: '{"my-deployment":{"input":1,"output":2}}' });

    expect(config.prices["my-deployment"]).toEqual({ input: 1, output: 2 });
    expect(config.prices["gpt-4o"]).toBeDefined();
  });
});

describe("normalizeAzureEndpoint", () => {
  it.each([
    ["https://x.openai.azure.com", "https://x.openai.azure.com"],
    ["https://x.openai.azure.com/", "https://x.openai.azure.com"],
    ["https://x.openai.azure.com/openai", "https://x.openai.azure.com"],
    ["https://x.openai.azure.com/openai/v1/", "https://x.openai.azure.com"],
    ["http://127.0.0.1:4010", "http://127.0.0.1:4010"],
  ])("%s → %s", (input, expected) => {
    expect(normalizeAzureEndpoint(input)).toBe(expected);
  });
});

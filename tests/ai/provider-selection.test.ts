import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGateway, resolveGatewayConfig } from "@/lib/ai";
import { type SimulatorHandle, startSimulator } from "@/lib/ai/simulator";
import { parseEnv } from "@/lib/env";
import { userMessage } from "./support";

/** The gateway the app builds from its environment, end to end over HTTP. */

let standalone: SimulatorHandle;

beforeAll(async () => {
  standalone = await startSimulator({ ttftMs: 0, tokensPerSecond: 0 });
});

afterAll(async () => {
  await standalone.close();
});

describe("gateway from the environment", () => {
  it("runs on the in-process simulator without credentials", async () => {
    const gateway = createGateway(
      resolveGatewayConfig(parseEnv({ NODE_ENV: "test", SIMULATOR_TTFT_MS: "0", SIMULATOR_TOKENS_PER_SECOND: "0" })),
    );

    await gateway.ready();
    const result = await gateway.generateChat({ role: "fast", messages: userMessage("hello") });
    await gateway.close();

    expect(gateway.getModelInfo().simulated).toBe(true);
    expect(result.provider).toBe("simulator");
    expect(result.text).toContain("simulated answer");
    expect(standalone.requestLog).toHaveLength(0);
  });

  it("uses the compatible path for OPENAI_BASE_URL", async () => {
    const gateway = createGateway(
      resolveGatewayConfig(parseEnv({ NODE_ENV: "test", OPENAI_BASE_URL: `${standalone.url}/v1` })),
    );

    const result = await gateway.generateChat({ role: "smart", messages: userMessage("hello") });

    expect(gateway.getModelInfo()).toMatchObject({ provider: "compatible", simulated: false });
    expect(result.provider).toBe("compatible");
    expect(standalone.requestLog.at(-1)?.api).toBe("openai");
    expect(standalone.requestLog.at(-1)?.model).toBe("gpt-4o");
  });

  it("uses Azure deployment URLs for an Azure endpoint with a dated api-version", async () => {
    const gateway = createGateway(
      resolveGatewayConfig(
        parseEnv({
          NODE_ENV: "test",
          AZURE_OPENAI_ENDPOINT: standalone.url,
          AZURE_OPENAI_API_KEY: "test-key",
          AZURE_OPENAI_API_VERSION: "2024-10-21",
          AZURE_OPENAI_DEPLOYMENT_FAST: "prod-mini",
          AZURE_OPENAI_DEPLOYMENT_SMART: "prod-4o",
          AZURE_OPENAI_DEPLOYMENT_EMBEDDING: "prod-embed",
        }),
      ),
    );

    await gateway.generateChat({ role: "fast", messages: userMessage("hello") });
    await gateway.embedTexts(["hello"]);

    expect(standalone.requestLog.at(-2)?.path).toBe(
      "/openai/deployments/prod-mini/chat/completions?api-version=2024-10-21",
    );
    expect(standalone.requestLog.at(-1)?.path).toBe("/openai/deployments/prod-embed/embeddings?api-version=2024-10-21");
  });

  it("uses the Azure v1 route without an api-version", async () => {
    const gateway = createGateway(
      resolveGatewayConfig(
        parseEnv({
          NODE_ENV: "test",
          AZURE_OPENAI_ENDPOINT: standalone.url,
          AZURE_OPENAI_AD_TOKEN: "entra-token",
          AZURE_OPENAI_DEPLOYMENT_FAST: "prod-mini",
          AZURE_OPENAI_DEPLOYMENT_SMART: "prod-4o",
        }),
      ),
    );

    await gateway.generateChat({ role: "fast", messages: userMessage("hello") });

    expect(standalone.requestLog.at(-1)?.path).toBe("/openai/v1/chat/completions");
    expect(standalone.requestLog.at(-1)?.model).toBe("prod-mini");
  });
});

import { createAzure } from "@ai-sdk/azure";
import { createOpenAI } from "@ai-sdk/openai";
import { embedMany, generateText, streamText } from "ai";
import OpenAI, { AzureOpenAI } from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SIMULATED_EMBEDDING_DIMENSIONS, type SimulatorHandle, startSimulator } from "@/lib/ai/simulator";

/**
 * Contract tests: the official `openai` SDK and the AI SDK providers, in their OpenAI and Azure
 * forms, talk to the simulator over HTTP and parse what it sends, streaming and not.
 */

let simulator: SimulatorHandle;
const messages = [
  { role: "system" as const, content: "You are a helpful assistant." },
  { role: "user" as const, content: "Say something about prioritization." },
];

beforeAll(async () => {
  simulator = await startSimulator({ port: 0, seed: 7, ttftMs: 0, tokensPerSecond: 0, latencyMs: 0 });
});

afterAll(async () => {
  await simulator.close();
});

beforeEach(() => {
  simulator.clearRequestLog();
});

const lastRequest = () => simulator.requestLog[simulator.requestLog.length - 1];

describe("openai SDK against the simulator", () => {
  it("reads a non-streaming chat completion with usage", async () => {
    const client = new OpenAI({ baseURL: `${simulator.url}/v1`, apiKey: "test", maxRetries: 0 });

    const completion = await client.chat.completions.create({ model: "gpt-4o-mini", messages });

    expect(completion.choices[0]?.message.content).toMatch(/simulated answer/);
    expect(completion.choices[0]?.finish_reason).toBe("stop");
    expect(completion.usage?.completion_tokens).toBeGreaterThan(0);
    expect(completion.usage?.prompt_tokens).toBeGreaterThan(0);
    expect(lastRequest()?.api).toBe("openai");
  });

  it("reads a streamed chat completion with a usage chunk", async () => {
    const client = new OpenAI({ baseURL: `${simulator.url}/v1`, apiKey: "test", maxRetries: 0 });

    const stream = await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = "";
    let finishReason: string | null | undefined;
    let completionTokens: number | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? "";
      finishReason = chunk.choices[0]?.finish_reason ?? finishReason;
      completionTokens = chunk.usage?.completion_tokens ?? completionTokens;
    }

    expect(text).toMatch(/simulated answer/);
    expect(finishReason).toBe("stop");
    expect(completionTokens).toBeGreaterThan(0);
    expect(lastRequest()?.stream).toBe(true);
  });

  it("streams without a usage chunk unless asked", async () => {
    const client = new OpenAI({ baseURL: `${simulator.url}/v1`, apiKey: "test", maxRetries: 0 });

    const stream = await client.chat.completions.create({ model: "gpt-4o-mini", messages, stream: true });
    const usages = [];
    for await (const chunk of stream) if (chunk.usage) usages.push(chunk.usage);

    expect(usages).toHaveLength(0);
  });

  it("decodes base64 embeddings of the simulator's dimension", async () => {
    const client = new OpenAI({ baseURL: `${simulator.url}/v1`, apiKey: "test", maxRetries: 0 });

    const response = await client.embeddings.create({ model: "text-embedding-3-small", input: ["alpha", "beta"] });

    expect(response.data).toHaveLength(2);
    expect(response.data[0]?.embedding).toHaveLength(SIMULATED_EMBEDDING_DIMENSIONS);
    const norm = Math.hypot(...(response.data[0]?.embedding ?? []));
    expect(norm).toBeCloseTo(1, 4);
  });

  it("talks to Azure deployment URLs with api-version", async () => {
    const client = new AzureOpenAI({
      endpoint: simulator.url,
      apiKey: "test",
      apiVersion: "2024-10-21",
      deployment: "prod-mini",
      maxRetries: 0,
    });

    const completion = await client.chat.completions.create({ model: "prod-mini", messages });

    expect(completion.choices[0]?.message.content).toMatch(/simulated answer/);
    expect(lastRequest()?.api).toBe("azure-deployment");
    expect(lastRequest()?.model).toBe("prod-mini");
    expect(lastRequest()?.apiVersion).toBe("2024-10-21");
  });

  it("streams from Azure deployment URLs past the empty-choices first chunk", async () => {
    const client = new AzureOpenAI({
      endpoint: simulator.url,
      apiKey: "test",
      apiVersion: "2024-10-21",
      deployment: "prod-mini",
      maxRetries: 0,
    });

    const stream = await client.chat.completions.create({ model: "prod-mini", messages, stream: true });
    let text = "";
    let emptyChunks = 0;
    for await (const chunk of stream) {
      if (chunk.choices.length === 0) emptyChunks++;
      text += chunk.choices[0]?.delta?.content ?? "";
    }

    expect(text).toMatch(/simulated answer/);
    expect(emptyChunks).toBeGreaterThanOrEqual(1);
  });

  it("talks to the Azure /openai/v1 route", async () => {
    const client = new OpenAI({ baseURL: `${simulator.url}/openai/v1`, apiKey: "test", maxRetries: 0 });

    const completion = await client.chat.completions.create({ model: "prod-mini", messages });

    expect(completion.choices[0]?.message.content).toMatch(/simulated answer/);
    expect(lastRequest()?.api).toBe("azure-v1");
  });
});

describe("AI SDK providers against the simulator", () => {
  const openai = () => createOpenAI({ baseURL: `${simulator.url}/v1`, apiKey: "test" });
  const azureDeployments = () =>
    createAzure({
      baseURL: `${simulator.url}/openai`,
      apiKey: "test",
      apiVersion: "2024-10-21",
      useDeploymentBasedUrls: true,
    });
  const azureV1 = () => createAzure({ baseURL: `${simulator.url}/openai/v1`, apiKey: "test" });

  it("generates text through createOpenAI().chat", async () => {
    const result = await generateText({
      model: openai().chat("gpt-4o-mini"),
      messages,
      allowSystemInMessages: true,
      maxRetries: 0,
    });

    expect(result.text).toMatch(/simulated answer/);
    expect(result.finishReason).toBe("stop");
    expect(result.usage.outputTokens).toBeGreaterThan(0);
  });

  it("streams text through createOpenAI().chat with usage", async () => {
    const result = streamText({
      model: openai().chat("gpt-4o-mini"),
      messages,
      allowSystemInMessages: true,
      maxRetries: 0,
    });

    expect(await result.text).toMatch(/simulated answer/);
    expect((await result.usage).outputTokens).toBeGreaterThan(0);
    expect(await result.finishReason).toBe("stop");
  });

  it("generates text through Azure deployment URLs", async () => {
    const result = await generateText({
      model: azureDeployments().chat("prod-mini"),
      messages,
      allowSystemInMessages: true,
      maxRetries: 0,
    });

    expect(result.text).toMatch(/simulated answer/);
    expect(lastRequest()?.path).toBe("/openai/deployments/prod-mini/chat/completions?api-version=2024-10-21");
  });

  it("streams text through Azure deployment URLs", async () => {
    const result = streamText({
      model: azureDeployments().chat("prod-mini"),
      messages,
      allowSystemInMessages: true,
      maxRetries: 0,
    });

    expect(await result.text).toMatch(/simulated answer/);
    expect((await result.usage).inputTokens).toBeGreaterThan(0);
  });

  it("generates and streams through the Azure /openai/v1 route", async () => {
    const generated = await generateText({
      model: azureV1().chat("prod-mini"),
      messages,
      allowSystemInMessages: true,
      maxRetries: 0,
    });
    const streamed = streamText({
      model: azureV1().chat("prod-mini"),
      messages,
      allowSystemInMessages: true,
      maxRetries: 0,
    });

    expect(generated.text).toMatch(/simulated answer/);
    expect(await streamed.text).toBe(generated.text);
    expect(simulator.requestLog.every((record) => record.api === "azure-v1")).toBe(true);
  });

  it("embeds through createOpenAI and createAzure", async () => {
    const viaOpenAI = await embedMany({
      model: openai().embedding("text-embedding-3-small"),
      values: ["a", "b"],
      maxRetries: 0,
    });
    const viaAzure = await embedMany({
      model: azureDeployments().embedding("embed"),
      values: ["a", "b"],
      maxRetries: 0,
    });

    expect(viaOpenAI.embeddings[0]).toHaveLength(SIMULATED_EMBEDDING_DIMENSIONS);
    expect(viaAzure.embeddings[0]).toEqual(viaOpenAI.embeddings[0]);
  });
});

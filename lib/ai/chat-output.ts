import type { OutputInterface } from "ai";
import type { Logger } from "@/lib/logger";
import type { GatewayConfig } from "./config";
import { ModelError } from "./errors";
import { chooseStructuredMode, mentionsJson, type StructuredMode, toStrictJsonSchema } from "./structured";
import type { ChatAccounting, ChatCallParams, GenerateChatParams } from "./types";

/**
 * Pick the structured-output mode of a call and build its AI SDK output. Checks run before
 * sending: JSON mode without the word "json" in the messages fails here, not as a provider 400.
 * Each reason for falling back to JSON mode is logged once per gateway.
 */
export function prepareStructuredOutput(
  params: GenerateChatParams,
  gateway: { config: GatewayConfig; log: Logger; loggedDowngrades: Set<string> },
): { output?: OutputInterface<string, string>; mode: StructuredMode } {
  const { config, log, loggedDowngrades } = gateway;
  if (!params.output) return { mode: "none" };
  const decision = chooseStructuredMode({
    requested: params.output.mode ?? "auto",
    setting: config.structuredOutput,
    provider: config.provider,
    hasSchema: Boolean(params.output.schema),
  });
  if (decision.downgradeReason && !loggedDowngrades.has(decision.downgradeReason)) {
    loggedDowngrades.add(decision.downgradeReason);
    log.warn(
      { schemaName: params.output.schemaName },
      `structured output falls back to JSON mode: ${decision.downgradeReason}`,
    );
  }
  if (decision.mode === "json_object" && !mentionsJson(params.messages)) {
    const prompt = params.promptKey ? `Prompt "${params.promptKey}"` : "The prompt";
    throw new ModelError(
      "json_mode_prompt",
      `${prompt} never mentions "json", which JSON mode requires. Add a sentence such as "Answer with a JSON object." to its system prompt.`,
      { promptKey: params.promptKey },
    );
  }
  const schema =
    decision.mode === "json_schema" && params.output.schema ? toStrictJsonSchema(params.output.schema) : undefined;
  return { output: rawTextOutput({ type: "json", schema, name: params.output.schemaName }), mode: decision.mode };
}

export function samplingSettings(params: ChatCallParams) {
  return {
    temperature: params.temperature,
    topP: params.topP,
    frequencyPenalty: params.frequencyPenalty,
    presencePenalty: params.presencePenalty,
    maxOutputTokens: params.maxTokens,
  };
}

/**
 * An AI SDK output that requests a JSON response format but returns the raw text unparsed, because
 * the pipeline repairs and validates it (and must see truncated or malformed output as it came).
 */
export function rawTextOutput(responseFormat: {
  type: "json";
  schema?: ReturnType<typeof toStrictJsonSchema>;
  name: string;
}): OutputInterface<string, string> {
  return {
    name: "text",
    responseFormat: Promise.resolve(responseFormat),
    parseCompleteOutput: async ({ text }) => text,
    parsePartialOutput: async ({ text }) => ({ partial: text }),
    createElementStreamTransform: () => undefined,
  };
}

export function summarizeAccounting(accounting: ChatAccounting) {
  return {
    model: accounting.model,
    finishReason: accounting.finishReason,
    latencyMs: accounting.latencyMs,
    ttftMs: accounting.ttftMs,
    promptTokens: accounting.usage.promptTokens,
    completionTokens: accounting.usage.completionTokens,
    costUsd: accounting.costUsd,
    attempts: accounting.transportAttempts,
  };
}

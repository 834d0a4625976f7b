import type { JSONSchema7 } from "@ai-sdk/provider";
import { z } from "zod";
import type { ProviderConfig, StructuredOutputSetting } from "./config";

export type StructuredMode = "json_schema" | "json_object" | "none";

/** Keywords that strict structured outputs reject on OpenAI or Azure; the pipeline validates them after the call. */
const unsupportedKeywords = new Set([
  "$schema",
  "$id",
  "default",
  "minLength",
  "maxLength",
  "pattern",
  "format",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "multipleOf",
  "minItems",
  "maxItems",
  "uniqueItems",
  "minProperties",
  "maxProperties",
  "patternProperties",
  "propertyNames",
]);

/**
 * Convert a zod schema to the JSON Schema that strict structured outputs accept: every property is
 * required, an optional one becomes nullable instead, objects allow no other properties, and
 * keywords that strict mode rejects are dropped. Refinements (`superRefine`) cannot be expressed in
 * JSON Schema, so the caller must still validate the output with the zod schema.
 */
export function toStrictJsonSchema(schema: z.ZodType): JSONSchema7 {
  const raw = z.toJSONSchema(schema, { io: "input", unrepresentable: "any", target: "draft-7" }) as JSONSchema7;
  return makeStrict(raw) as JSONSchema7;
}

function makeStrict(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(makeStrict);
  if (!node || typeof node !== "object") return node;

  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (unsupportedKeywords.has(key)) continue;
    if (key === "properties" || key === "definitions" || key === "$defs") {
      result[key] = Object.fromEntries(
        Object.entries(value as object).map(([name, child]) => [name, makeStrict(child)]),
      );
    } else {
      result[key] = makeStrict(value);
    }
  }

  if (result.type === "object" && result.properties) {
    const properties = result.properties as Record<string, unknown>;
    const required = new Set((result.required as string[] | undefined) ?? []);
    for (const name of Object.keys(properties)) {
      if (!required.has(name)) properties[name] = makeNullable(properties[name]);
    }
    result.required = Object.keys(properties);
    result.additionalProperties = false;
  }
  return result;
}

function makeNullable(node: unknown): unknown {
  const schema = node as Record<string, unknown>;
  if (isNullable(schema)) return schema;
  if (typeof schema.type === "string" && !schema.enum && !schema.const) {
    return { ...schema, type: [schema.type, "null"] };
  }
  return { anyOf: [schema, { type: "null" }] };
}

function isNullable(schema: Record<string, unknown>): boolean {
  if (schema.type === "null") return true;
  if (Array.isArray(schema.type) && schema.type.includes("null")) return true;
  const variants = (schema.anyOf ?? schema.oneOf) as Array<Record<string, unknown>> | undefined;
  return Array.isArray(variants) && variants.some((variant) => variant.type === "null");
}

/** Azure added `json_schema` response formats in api-version 2024-08-01-preview. */
const AZURE_JSON_SCHEMA_SINCE = "2024-08-01";

/** Dated Azure versions before 2024-08-01 lack `json_schema`; the v1 route and later versions have it. */
export function azureSupportsJsonSchema(apiVersion: string | undefined): boolean {
  if (apiVersion === undefined || apiVersion === "v1" || apiVersion === "preview") return true;
  const date = apiVersion.slice(0, 10);
  return date >= AZURE_JSON_SCHEMA_SINCE;
}

export interface ModeDecision {
  mode: Exclude<StructuredMode, "none">;
  /** Why `json_schema` was requested but not used; logged once per reason. */
  downgradeReason?: string;
}

/**
 * Pick strict JSON schema where the endpoint supports it, else JSON mode. Decided before sending,
 * because an unsupported `response_format` costs a 400 and a round trip.
 */
export function chooseStructuredMode(options: {
  requested: "auto" | "json_schema" | "json_object";
  setting: StructuredOutputSetting;
  provider: ProviderConfig;
  hasSchema: boolean;
}): ModeDecision {
  const wanted = options.requested !== "auto" ? options.requested : options.setting;
  if (wanted === "json_object") return { mode: "json_object" };
  if (!options.hasSchema) {
    return { mode: "json_object", downgradeReason: "no zod schema was given for the output" };
  }
  if (options.provider.kind === "azure" && !azureSupportsJsonSchema(options.provider.apiVersion)) {
    return {
      mode: "json_object",
      downgradeReason: `Azure api-version ${options.provider.apiVersion} predates json_schema (${AZURE_JSON_SCHEMA_SINCE}-preview); using JSON mode`,
    };
  }
  return { mode: "json_schema" };
}

/** JSON mode makes OpenAI and Azure reject a request whose messages never mention "json". */
export function mentionsJson(messages: ReadonlyArray<{ content: unknown }>): boolean {
  return messages.some((message) =>
    /json/i.test(typeof message.content === "string" ? message.content : JSON.stringify(message.content)),
  );
}

import { z } from "zod";

/**
 * Model provider variables, merged into the app's environment schema by `lib/env.ts`.
 * The gateway decides the provider from which of these are set (see `resolveGatewayConfig`), and
 * checks combinations there, because refinements on this fragment are lost when it is merged.
 */

const positiveInt = (max: number) => z.coerce.number().int().min(1).max(max);

const priceTableSchema = z
  .string()
  .transform((value, context) => {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      context.addIssue({
        code: "custom",
        message: 'expected JSON such as {"gpt-4o-mini":{"input":0.15,"output":0.6}}',
      });
      return z.NEVER;
    }
  })
  .pipe(
    z.record(
      z.string().min(1),
      z.object({
        input: z.number().min(0).describe("USD per million prompt tokens"),
        output: z.number().min(0).default(0).describe("USD per million completion tokens"),
      }),
    ),
  );

export const aiEnvSchema = z.object({
  AI_PROVIDER: z.enum(["auto", "azure", "openai", "compatible", "simulator"]).default("auto"),

  AZURE_OPENAI_ENDPOINT: z.url().optional(),
  AZURE_OPENAI_RESOURCE_NAME: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]*$/i, "expected the resource name only, such as my-resource")
    .optional(),
  AZURE_OPENAI_API_KEY: z.string().min(1).optional(),
  AZURE_OPENAI_AD_TOKEN: z.string().min(1).optional(),
  AZURE_OPENAI_API_VERSION: z
    .string()
    .regex(/^(v1|preview|\d{4}-\d{2}-\d{2}(-preview)?)$/, "expected v1, preview or a date such as 2024-10-21")
    .optional(),
  AZURE_OPENAI_DEPLOYMENT_FAST: z.string().min(1).optional(),
  AZURE_OPENAI_DEPLOYMENT_SMART: z.string().min(1).optional(),
  AZURE_OPENAI_DEPLOYMENT_EMBEDDING: z.string().min(1).optional(),

  OPENAI_API_KEY: z.string().min(1).optional(),
  OPENAI_BASE_URL: z.url().optional(),
  OPENAI_MODEL_FAST: z.string().min(1).optional(),
  OPENAI_MODEL_SMART: z.string().min(1).optional(),
  OPENAI_MODEL_EMBEDDING: z.string().min(1).optional(),

  MODEL_STRUCTURED_OUTPUT: z.enum(["auto", "json_schema", "json_object"]).default("auto"),
  MODEL_CONCURRENCY: positiveInt(1000).default(8),
  MODEL_TIMEOUT_MS: positiveInt(3_600_000).default(120_000),
  MODEL_ATTEMPT_TIMEOUT_MS: positiveInt(3_600_000).default(60_000),
  MODEL_MAX_RETRIES: z.coerce.number().int().min(0).max(20).default(4),
  MODEL_MAX_RETRY_WAIT_MS: positiveInt(3_600_000).default(60_000),
  MODEL_PRICES: priceTableSchema.optional(),

  SIMULATOR_PORT: z.coerce.number().int().min(0).max(65_535).default(0),
  SIMULATOR_SEED: z.coerce.number().int().default(42),
  SIMULATOR_TTFT_MS: z.coerce.number().int().min(0).max(600_000).default(150),
  SIMULATOR_TOKENS_PER_SECOND: z.coerce.number().min(0).max(100_000).default(120),
  SIMULATOR_LATENCY_MS: z.coerce.number().int().min(0).max(600_000).default(0),
  SIMULATOR_FAULT_RATE: z.coerce.number().min(0).max(1).default(0),
});

export type AiEnv = z.infer<typeof aiEnvSchema>;

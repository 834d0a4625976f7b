import { z } from "zod";
import { aiEnvSchema } from "@/lib/ai/env-schema";
import { apiEnvSchema } from "@/lib/api/env-schema";
import { chatEnvSchema } from "@/lib/chat/env-schema";
import { knowledgeEnvSchema } from "@/lib/knowledge/env-schema";
import { pipelineEnvSchema } from "@/lib/pipeline/env-schema";
import { promptAdminEnvSchema } from "@/lib/prompt-admin/env-schema";
import { promptsEnvSchema } from "@/lib/prompts/env-schema";

/**
 * Start-up configuration. This is the only module that reads `process.env`: every other module
 * imports `getEnv()`, so an invalid value stops the process once, with the variable named.
 * Domain folders contribute their variables as zod fragments (for example `lib/ai/env-schema.ts`).
 */

const booleanString = z.enum(["true", "false", "1", "0"]).transform((value) => value === "true" || value === "1");

const postgresUrl = z.string().refine((value) => /^postgres(ql)?:\/\/[^\s]+$/.test(value) && URL.canParse(value), {
  message: "expected a URL such as postgres://user:password@host:5432/database",
});

const coreEnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  /** Set by Next.js itself, for example `phase-production-build` during `next build`. */
  NEXT_PHASE: z.string().optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),

  DATABASE_URL: postgresUrl.optional(),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(500).default(10),
  PGLITE_DATA_DIR: z.string().min(1).default(".data/pglite"),

  AUTH_SECRET: z
    .string()
    .min(32, "expected at least 32 characters, for example from `openssl rand -base64 32`")
    .optional(),
  AUTH_URL: z.url().optional(),
  SIGN_IN_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(1000).default(5),
  SIGN_IN_WINDOW_SECONDS: z.coerce.number().int().min(1).default(900),
  /**
   * True behind a reverse proxy that appends the client address to X-Forwarded-For and replaces
   * X-Forwarded-Host with the host the browser requested. The app reads those headers only then.
   */
  TRUST_PROXY: booleanString.default(false),

  SEED_DEMO: booleanString.optional(),
  /** Admin connection string for tests; each test creates and drops its own database there. */
  TEST_DATABASE_URL: postgresUrl.optional(),
  WORKERS_IN_PROCESS: booleanString.default(true),
});

const envSchema = coreEnvSchema
  .extend(aiEnvSchema.shape)
  .extend(apiEnvSchema.shape)
  .extend(pipelineEnvSchema.shape)
  .extend(knowledgeEnvSchema.shape)
  .extend(chatEnvSchema.shape)
  .extend(promptsEnvSchema.shape)
  .extend(promptAdminEnvSchema.shape);

export type Env = z.infer<typeof envSchema>;

export class InvalidEnvError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid configuration:\n${issues.map((line) => `  - ${line}`).join("\n")}`);
    this.name = "InvalidEnvError";
  }
}

/** Parse a raw environment; exported so tests can check messages without touching `process.env`. */
export function parseEnv(raw: Record<string, string | undefined>): Env {
  // Empty strings in .env files mean "not set", as in most dotenv tooling.
  const cleaned = Object.fromEntries(Object.entries(raw).filter(([, value]) => value !== undefined && value !== ""));
  const result = envSchema.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `${issue.path.join(".") || "environment"}: ${issue.message}`);
    throw new InvalidEnvError(lines);
  }

  const env = result.data;
  // `next build` runs in production mode but signs no session, so the secret is only required to serve.
  const building = env.NEXT_PHASE === "phase-production-build";
  if (env.NODE_ENV === "production" && !env.AUTH_SECRET && !building) {
    throw new InvalidEnvError(["AUTH_SECRET: required in production; generate one with `openssl rand -base64 32`"]);
  }
  return env;
}

let cached: Env | undefined;

export function getEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** Secret for session cookies; development falls back to a fixed value so `npm run dev` needs no setup. */
export function getAuthSecret(): string {
  return getEnv().AUTH_SECRET ?? "rankwise-development-secret-not-for-production-use";
}

export function shouldSeedDemo(): boolean {
  const env = getEnv();
  return env.SEED_DEMO ?? env.NODE_ENV === "development";
}

import { z } from "zod";

/**
 * Model provider variables, merged into the app's environment schema by `lib/env.ts`.
 * The gateway decides the provider from which of these are set.
 */
export const aiEnvSchema = z.object({
  AI_PROVIDER: z.enum(["auto", "azure", "openai", "compatible", "simulator"]).default("auto"),
});

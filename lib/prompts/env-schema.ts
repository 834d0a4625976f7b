import { z } from "zod";

/** Prompt engine variables, merged into the app's environment schema by `lib/env.ts`. */
export const promptsEnvSchema = z.object({
  /**
   * Interval in seconds of the prompt cache's fingerprint check, which catches a publish
   * notification lost during a reconnect. Also the interval of reconnection attempts while the
   * prompt files are served.
   */
  PROMPT_CACHE_CHECK_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
});

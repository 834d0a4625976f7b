import { z } from "zod";

/** REST API variables, merged into the app's environment schema by `lib/env.ts`. */
export const apiEnvSchema = z.object({
  /** Requests one personal access token may make per minute, across every instance. */
  API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(120),
});

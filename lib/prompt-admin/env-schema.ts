import { z } from "zod";

/** Prompt admin variables, merged into the app's environment schema by `lib/env.ts`. */
export const promptAdminEnvSchema = z.object({
  /**
   * Token limit of one fine-tuning example. 65,536 is the training example context length of
   * gpt-4o (2024-08-06) and gpt-4o-mini (2024-07-18) in Azure OpenAI's fine-tuning model table;
   * gpt-35-turbo (0125) accepts 16,385.
   */
  FINE_TUNING_MAX_EXAMPLE_TOKENS: z.coerce.number().int().min(100).max(10_000_000).default(65_536),
  /** Token limit of a whole fine-tuning file; unset checks only the per-example limit. */
  FINE_TUNING_MAX_TOTAL_TOKENS: z.coerce.number().int().min(100).optional(),
  /** Base model of fine-tuning jobs; unset uses the fast model's name (Azure needs the base model name, not a deployment). */
  FINE_TUNING_BASE_MODEL: z.string().min(1).optional(),
});

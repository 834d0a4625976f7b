import { z } from "zod";

/** Chat variables, merged into the app's environment schema by `lib/env.ts`. */
export const chatEnvSchema = z.object({
  /** Top-ranked items given to the model with each question, besides the items the question names. */
  CHAT_RANKING_ITEMS: z.coerce.number().int().min(1).max(100).default(10),
  /** Earlier messages of the conversation sent with a question, newest kept. */
  CHAT_HISTORY_MESSAGES: z.coerce.number().int().min(0).max(50).default(8),
  /** Longest question accepted, in characters. */
  CHAT_MAX_QUESTION_CHARS: z.coerce.number().int().min(100).max(20_000).default(2000),
  /** Time the model has to send the first token of an answer, in milliseconds; then the answer ends with an error. */
  CHAT_FIRST_TOKEN_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  /**
   * Answer text is sent to the browser at most this often, in milliseconds, with the tokens that
   * arrived meanwhile merged; the first token is sent at once. 0 sends every token on its own.
   */
  CHAT_STREAM_INTERVAL_MS: z.coerce.number().int().min(0).max(1000).default(30),
});

export type ChatEnv = z.infer<typeof chatEnvSchema>;

import { Tiktoken } from "js-tiktoken/lite";
import o200kBase from "js-tiktoken/ranks/o200k_base";

/**
 * Token estimates in o200k_base, the encoding of the gpt-4o and gpt-4o-mini families. Other
 * chat models tokenize differently, so counts are estimates there.
 */
let encoder: Tiktoken | undefined;

export function countChatTokens(text: string): number {
  if (!text) return 0;
  encoder ??= new Tiktoken(o200kBase);
  return encoder.encode(text).length;
}

/**
 * Estimate the tokens of chat messages in a request: each message's role and content, plus the
 * framing that the OpenAI cookbook's "How to count tokens with tiktoken" gives for gpt-4o (3 tokens
 * per message, and 3 that prime the reply).
 */
export function countMessageTokens(messages: ReadonlyArray<{ role: string; content: string }>): number {
  let total = 3;
  for (const message of messages) total += 3 + countChatTokens(message.role) + countChatTokens(message.content);
  return total;
}

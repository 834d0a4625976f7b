import type { ChatMessage } from "@/lib/ai/types";
import type { FieldIssue } from "@/lib/validation";

/** Longest failed response sent back in a correction request, in characters. */
const MAX_ECHOED_RESPONSE_CHARS = 12_000;

/**
 * Build the messages of a correction request: the original prompt, the failed response as the
 * assistant's turn, and a user turn listing the problems. Only the latest failed response is
 * included, so the prompt does not grow with every retry.
 */
export function buildCorrectionMessages(
  original: readonly ChatMessage[],
  failedResponse: string,
  issues: readonly FieldIssue[],
): ChatMessage[] {
  const echoed =
    failedResponse.length > MAX_ECHOED_RESPONSE_CHARS
      ? `${failedResponse.slice(0, MAX_ECHOED_RESPONSE_CHARS)}\n[cut]`
      : failedResponse;
  const problems = issues.map((issue) => `- ${issue.path}: ${issue.message}`).join("\n");
  const request = [
    "Your previous response could not be used. Problems found:",
    problems,
    "",
    "Reply again with only the corrected JSON object: no markdown fence, no text before or after it, every field the schema requires, and only allowed values.",
  ].join("\n");
  return [...original, { role: "assistant", content: echoed }, { role: "user", content: request }];
}

/**
 * Temperature of the n-th correction request: half of the previous one, because a lower
 * temperature makes the model follow the listed constraints more closely. An unset temperature
 * counts as 1, the OpenAI default.
 */
export function lowerTemperature(base: number | undefined, correction: number): number {
  const start = base ?? 1;
  return Math.round((start / 2 ** correction) * 100) / 100;
}

/** Token budget for the retry of a truncated response: twice what was set, or twice what was used. */
export function raiseMaxTokens(current: number | undefined, usedTokens: number): number {
  return Math.max((current ?? 0) * 2, usedTokens * 2, 1024);
}

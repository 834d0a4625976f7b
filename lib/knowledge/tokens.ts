import { Tiktoken } from "js-tiktoken/lite";
import cl100kBase from "js-tiktoken/ranks/cl100k_base";

/**
 * Token counts in cl100k_base, the encoding of OpenAI's embedding models (text-embedding-3-*,
 * ada-002). Other providers' tokenizers differ by a few percent, which the chunk sizes absorb.
 */
let encoder: Tiktoken | undefined;

function getEncoder(): Tiktoken {
  encoder ??= new Tiktoken(cl100kBase);
  return encoder;
}

export function countTokens(text: string): number {
  if (!text) return 0;
  return getEncoder().encode(text).length;
}

/**
 * Split `text` into consecutive pieces of at most `maxTokens` tokens, cut at whitespace where one
 * exists in the window, so a sentence longer than a chunk is still split between words. The pieces
 * concatenate back to `text`. Returns UTF-16 offsets of each piece, end exclusive.
 */
export function splitByTokens(text: string, maxTokens: number): Array<{ start: number; end: number }> {
  const pieces: Array<{ start: number; end: number }> = [];
  let start = 0;
  while (start < text.length) {
    let end = findTokenWindowEnd(text, start, maxTokens);
    const space = text.lastIndexOf(" ", end - 1);
    if (end < text.length && space > start) end = space + 1;
    pieces.push({ start, end });
    start = end;
  }
  return pieces;
}

/** The largest end such that `text.slice(start, end)` has at most `maxTokens` tokens (binary search). */
function findTokenWindowEnd(text: string, start: number, maxTokens: number): number {
  if (countTokens(text.slice(start)) <= maxTokens) return text.length;
  let low = start + 1;
  let high = text.length;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (countTokens(text.slice(start, middle)) <= maxTokens) low = middle;
    else high = middle - 1;
  }
  // Never end between the two halves of a surrogate pair, or both pieces hold half a character.
  const code = text.charCodeAt(low - 1);
  if (low < text.length && low - 1 > start && code >= 0xd800 && code <= 0xdbff) return low - 1;
  return low;
}

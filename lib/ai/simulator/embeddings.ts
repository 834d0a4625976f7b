import { hashString } from "./random";
import { searchTerms, words } from "./text";

/** Length of simulated embedding vectors unless a request sets `dimensions`. */
export const SIMULATED_EMBEDDING_DIMENSIONS = 256;

const TRIGRAM_WEIGHT = 0.5;

/**
 * Embed a text deterministically as a hashed bag of words and character trigrams (the "hashing
 * trick", with a hashed sign so that collisions cancel out on average), L2-normalised. Texts that share
 * words or word parts get a higher cosine similarity than texts that share none. Only the search
 * terms count (no function words, plural and verb endings cut), because a real embedding model
 * gives little weight to "what do … say about". A text made only of function words uses them all.
 */
export function embedText(text: string, dimensions = SIMULATED_EMBEDDING_DIMENSIONS): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  const add = (feature: string, weight: number) => {
    const hash = hashString(feature);
    const index = hash % dimensions;
    const sign = hashString(feature, 0x9e3779b9) & 1 ? 1 : -1;
    vector[index] = (vector[index] ?? 0) + sign * weight;
  };

  const terms = searchTerms(text);
  for (const word of terms.length > 0 ? terms : words(text)) {
    add(`w:${word}`, 1);
    const padded = ` ${word} `;
    for (let start = 0; start + 3 <= padded.length; start++) add(`t:${padded.slice(start, start + 3)}`, TRIGRAM_WEIGHT);
  }

  const norm = Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0));
  if (norm === 0) {
    // An empty text still needs a unit vector, or cosine similarity divides by zero.
    vector[0] = 1;
    return vector;
  }
  return vector.map((value) => value / norm);
}

/** OpenAI's `encoding_format: "base64"`: float32 values in host byte order (little-endian on x64 and arm64), base64-encoded. */
export function encodeEmbeddingBase64(vector: readonly number[]): string {
  return Buffer.from(Float32Array.from(vector).buffer).toString("base64");
}

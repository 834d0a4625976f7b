import type { KnowledgeDeps } from "./deps";

/** Scale to unit length, so cosine similarity is a dot product on both search paths. */
export function normalizeVector(values: readonly number[]): number[] {
  const norm = Math.sqrt(values.reduce((sum, value) => sum + value * value, 0));
  if (norm === 0 || !Number.isFinite(norm)) throw new Error("Cannot normalise an embedding of length zero.");
  return values.map((value) => value / norm);
}

/** The text embedded for a chunk: its document's title and heading give short chunks their context. */
export function buildEmbeddingInput(chunk: { text: string; heading: string | null; documentTitle: string }): string {
  const lines = [chunk.documentTitle];
  if (chunk.heading && !chunk.text.includes(chunk.heading)) lines.push(chunk.heading);
  lines.push(chunk.text);
  return lines.join("\n");
}

export async function embedNormalized(
  deps: Pick<KnowledgeDeps, "gateway" | "settings">,
  texts: string[],
  signal?: AbortSignal,
): Promise<number[][]> {
  const result = await deps.gateway.embedTexts(texts, {
    signal,
    batchSize: deps.settings.embedBatchSize,
    dimensions: deps.settings.embeddingDimensions,
  });
  if (result.embeddings.length !== texts.length) {
    throw new Error(`The embedding model returned ${result.embeddings.length} embeddings for ${texts.length} texts.`);
  }
  return result.embeddings.map(normalizeVector);
}

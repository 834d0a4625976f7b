import type { Db, VectorPath } from "@/db/client";
import type { Gateway } from "@/lib/ai";
import { getEnv } from "@/lib/env";
import type { Logger } from "@/lib/logger";
import type { DocumentFormat } from "./chunking";

export interface KnowledgeSettings {
  chunkTokens: number;
  overlapTokens: number;
  topK: number;
  minSimilarity: number;
  /** Requested embedding size; undefined keeps the model's own. */
  embeddingDimensions?: number;
  embedBatchSize: number;
  maxUploadBytes: number;
  pollMs: number;
}

/** Everything the knowledge base needs from outside; tests build one with a simulator and a test database. */
export interface KnowledgeDeps {
  db: Db;
  vectorPath: VectorPath;
  gateway: Pick<Gateway, "embedTexts" | "getModelInfo">;
  settings: KnowledgeSettings;
  log: Logger;
}

/**
 * Default similarity thresholds. The simulator's hashed bag-of-words embeddings give unrelated
 * texts about 0.25 to 0.3 (shared stop words and trigram collisions), so its floor is higher.
 * NOTE: 0.25 for hosted models is an estimate for OpenAI's text-embedding-3 models, where related
 * passages usually score 0.35 and more; tune KNOWLEDGE_MIN_SIMILARITY for other models.
 */
const DEFAULT_MIN_SIMILARITY = { simulated: 0.35, hosted: 0.25 };

export function readKnowledgeSettings(options: { simulatedEmbeddings: boolean }): KnowledgeSettings {
  const env = getEnv();
  return {
    chunkTokens: env.KNOWLEDGE_CHUNK_TOKENS,
    overlapTokens: Math.min(env.KNOWLEDGE_CHUNK_OVERLAP_TOKENS, Math.floor(env.KNOWLEDGE_CHUNK_TOKENS / 2) - 1),
    topK: env.KNOWLEDGE_TOP_K,
    minSimilarity:
      env.KNOWLEDGE_MIN_SIMILARITY ??
      (options.simulatedEmbeddings ? DEFAULT_MIN_SIMILARITY.simulated : DEFAULT_MIN_SIMILARITY.hosted),
    embeddingDimensions: env.KNOWLEDGE_EMBEDDING_DIMENSIONS,
    embedBatchSize: env.KNOWLEDGE_EMBED_BATCH_SIZE,
    maxUploadBytes: env.KNOWLEDGE_MAX_UPLOAD_BYTES,
    pollMs: env.KNOWLEDGE_INDEXER_POLL_MS,
  };
}

/**
 * The name stored with each embedding: the embedding model, with the requested size when one is
 * set. A change of either makes every chunk due for re-embedding. Undefined when no embedding
 * model is configured, and then retrieval finds nothing.
 */
export function getEmbeddingModelKey(deps: Pick<KnowledgeDeps, "gateway" | "settings">): string | undefined {
  const model = deps.gateway.getModelInfo().models.embedding;
  if (!model) return undefined;
  return deps.settings.embeddingDimensions ? `${model}@${deps.settings.embeddingDimensions}` : model;
}

/** How a document's content is cut: from `metadata.format` when an upload set it, else by kind. */
export function documentFormatOf(document: { metadata: Record<string, unknown>; kind?: string }): DocumentFormat {
  const format = document.metadata.format;
  if (format === "csv") return "csv";
  if (format === "text" || document.kind === "feedback") return "text";
  return "markdown";
}

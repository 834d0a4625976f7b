import { z } from "zod";

/** Knowledge base variables, merged into the app's environment schema by `lib/env.ts`. */
export const knowledgeEnvSchema = z.object({
  /** Maximum tokens (cl100k_base) of one chunk. */
  KNOWLEDGE_CHUNK_TOKENS: z.coerce.number().int().min(64).max(8000).default(400),
  /** Tokens of whole sentences repeated at the start of the next chunk of a section. */
  KNOWLEDGE_CHUNK_OVERLAP_TOKENS: z.coerce.number().int().min(0).max(2000).default(60),
  /** Chunks retrieved per question or item, at most. */
  KNOWLEDGE_TOP_K: z.coerce.number().int().min(1).max(50).default(6),
  /** Cosine similarity below which a chunk is not a source (0 to 1); unset picks a default for the embedding model. */
  KNOWLEDGE_MIN_SIMILARITY: z.coerce.number().min(0).max(1).optional(),
  /** Output size requested from models that can shorten embeddings (text-embedding-3-*); unset keeps the model's own. */
  KNOWLEDGE_EMBEDDING_DIMENSIONS: z.coerce.number().int().min(16).max(4096).optional(),
  /** Chunks sent per embedding request by the embedding job. */
  KNOWLEDGE_EMBED_BATCH_SIZE: z.coerce.number().int().min(1).max(2048).default(64),
  /** Largest accepted upload, in bytes. */
  KNOWLEDGE_MAX_UPLOAD_BYTES: z.coerce.number().int().min(1024).max(100_000_000).default(5_000_000),
  /** Interval at which the indexer looks for new or edited documents and queued jobs, in milliseconds. */
  KNOWLEDGE_INDEXER_POLL_MS: z.coerce.number().int().min(100).max(600_000).default(3000),
});

export type KnowledgeEnv = z.infer<typeof knowledgeEnvSchema>;

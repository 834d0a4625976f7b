import type { VectorPath } from "@/db/client";
import {
  type ChunkMatch,
  type ChunkSearchParams,
  searchChunksExact,
  searchChunksPgvector,
} from "@/db/queries/knowledge";
import type { DocumentKind } from "@/db/schema";
import { getEmbeddingModelKey, type KnowledgeDeps } from "./deps";
import { embedNormalized } from "./embedding";

export type { ChunkMatch } from "@/db/queries/knowledge";

export interface KnowledgeSearchParams {
  workspaceId: string;
  query: string;
  /** Defaults to `KNOWLEDGE_TOP_K`. */
  limit?: number;
  /** Defaults to `KNOWLEDGE_MIN_SIMILARITY`. */
  minSimilarity?: number;
  kinds?: DocumentKind[];
  languages?: string[];
  documentIds?: string[];
  excludeDocumentIds?: string[];
  /** The search path; defaults to the database's (tests compare both on one database). */
  path?: VectorPath;
  signal?: AbortSignal;
}

const warnedWithoutModel = new WeakSet<object>();

/**
 * Find the workspace's chunks closest to `query` by cosine similarity, best first, at or above the
 * threshold. Only chunks embedded by the configured model count, so during a re-embedding the
 * results grow as the job progresses. Returns nothing when no embedding model is configured.
 */
export async function searchKnowledge(deps: KnowledgeDeps, params: KnowledgeSearchParams): Promise<ChunkMatch[]> {
  const model = getEmbeddingModelKey(deps);
  if (!model) {
    if (!warnedWithoutModel.has(deps.gateway)) {
      warnedWithoutModel.add(deps.gateway);
      deps.log.warn("knowledge search disabled: no embedding model is configured");
    }
    return [];
  }
  if (!params.query.trim()) return [];

  const [embedding] = await embedNormalized(deps, [params.query], params.signal);
  if (!embedding) return [];
  return searchByEmbedding(deps, { ...params, embedding, model });
}

export async function searchByEmbedding(
  deps: Pick<KnowledgeDeps, "db" | "vectorPath" | "settings">,
  params: Omit<KnowledgeSearchParams, "query" | "signal"> & { embedding: number[]; model: string },
): Promise<ChunkMatch[]> {
  const search: ChunkSearchParams = {
    workspaceId: params.workspaceId,
    embedding: params.embedding,
    model: params.model,
    limit: params.limit ?? deps.settings.topK,
    minSimilarity: params.minSimilarity ?? deps.settings.minSimilarity,
    kinds: params.kinds,
    languages: params.languages,
    documentIds: params.documentIds,
    excludeDocumentIds: params.excludeDocumentIds,
  };
  const path = params.path ?? deps.vectorPath;
  if (path === "pgvector" && deps.vectorPath !== "pgvector") {
    throw new Error("The pgvector search path needs a database with the vector extension.");
  }
  return path === "pgvector" ? searchChunksPgvector(deps.db, search) : searchChunksExact(deps.db, search);
}

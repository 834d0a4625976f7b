import type { Db } from "@/db/client";
import {
  type DocumentToChunk,
  listDocumentsToChunk,
  listWorkspacesToEmbed,
  purgeChunksOfDeletedDocuments,
  queueKnowledgeJob,
  replaceDocumentChunks,
} from "@/db/queries/knowledge";
import { chunkDocument } from "./chunking";
import { documentFormatOf, getEmbeddingModelKey, type KnowledgeDeps, type KnowledgeSettings } from "./deps";

/** Documents chunked per transaction by the indexer. */
const CHUNK_PASS_SIZE = 25;

/** Wait before a workspace whose embedding job failed gets a new job automatically, in seconds. */
const FAILED_JOB_RETRY_SECONDS = 300;

/** Cut one document into chunks and store them (replacing older ones); call it in the write's transaction. */
export async function chunkAndStoreDocument(
  db: Db,
  settings: Pick<KnowledgeSettings, "chunkTokens" | "overlapTokens">,
  document: DocumentToChunk & { kind?: string },
): Promise<number> {
  const chunks = chunkDocument(document.content, {
    maxTokens: settings.chunkTokens,
    overlapTokens: settings.overlapTokens,
    format: documentFormatOf(document),
  });
  await replaceDocumentChunks(db, {
    workspaceId: document.workspaceId,
    documentId: document.id,
    content: document.content,
    chunks,
  });
  return chunks.length;
}

export interface SyncResult {
  chunkedDocuments: number;
  purgedDocuments: number;
  queuedWorkspaces: string[];
}

/**
 * Bring chunks in line with the documents, whichever code path wrote them (uploads, seeds, the REST API):
 * drop chunks of deleted documents, chunk new and edited documents, and queue an embedding job
 * for each workspace with chunks the configured model has not embedded.
 */
export async function syncKnowledge(deps: KnowledgeDeps): Promise<SyncResult> {
  const purgedDocuments = await purgeChunksOfDeletedDocuments(deps.db);

  let chunkedDocuments = 0;
  for (;;) {
    const pending = await listDocumentsToChunk(deps.db, { limit: CHUNK_PASS_SIZE });
    if (pending.length === 0) break;
    await deps.db.transaction(async (tx) => {
      for (const document of pending) await chunkAndStoreDocument(tx, deps.settings, document);
    });
    chunkedDocuments += pending.length;
  }

  const model = getEmbeddingModelKey(deps);
  const queuedWorkspaces = model
    ? await listWorkspacesToEmbed(deps.db, { model, retryFailedAfterSeconds: FAILED_JOB_RETRY_SECONDS })
    : [];
  for (const workspaceId of queuedWorkspaces) await queueKnowledgeJob(deps.db, { workspaceId });

  if (chunkedDocuments + purgedDocuments + queuedWorkspaces.length > 0) {
    deps.log.info(
      { chunkedDocuments, purgedDocuments, queuedWorkspaces: queuedWorkspaces.length },
      "knowledge index synced",
    );
  }
  return { chunkedDocuments, purgedDocuments, queuedWorkspaces };
}

import { listDocuments } from "@/db/queries/documents";
import type { ChunkMatch } from "@/db/queries/knowledge";
import type { Document } from "@/db/schema";
import { getEmbeddingModelKey, type KnowledgeDeps } from "./deps";
import { embedNormalized } from "./embedding";
import { searchByEmbedding } from "./search";

/** An item as the prioritization prompt describes it, with the ids of its linked documents. */
export interface EvidenceItem {
  /** Short id such as `A01` or `#12`. */
  id: string;
  title: string;
  description: string;
  /** External ids (or uuids) of documents linked to the item; they come first. */
  evidence_ids: string[];
}

export interface EvidenceEntry {
  /** The document's external id, else its uuid: what the model cites. */
  id: string;
  text: string;
}

export interface ItemEvidence {
  /** Every evidence entry once, for the prompt's `<evidence>` block. */
  evidence: EvidenceEntry[];
  /** Per item id, the evidence ids in order: linked documents first, then retrieved ones. */
  evidenceIdsByItem: Map<string, string[]>;
}

/** Longest evidence text, in characters; a long document contributes its best chunk instead. */
const MAX_EVIDENCE_CHARS = 1500;

const citationId = (document: Pick<Document, "externalId" | "id">) => document.externalId ?? document.id;

/**
 * Gather evidence for each item: its linked documents first, then the workspace's chunks closest
 * to its title and description, up to `perItem` documents per item. All queries are embedded in
 * one request. Without an embedding model, only linked documents are returned.
 */
export async function retrieveItemEvidence(
  deps: KnowledgeDeps,
  params: { workspaceId: string; items: EvidenceItem[]; perItem?: number; signal?: AbortSignal },
): Promise<ItemEvidence> {
  const perItem = params.perItem ?? deps.settings.topK;
  // NOTE: linked documents are looked up by external id; one without an external id (cited by its
  // uuid) is found only if retrieval ranks it.
  const linkedIds = [...new Set(params.items.flatMap((item) => item.evidence_ids))];
  const linked = linkedIds.length
    ? await listDocuments(deps.db, { workspaceId: params.workspaceId, externalIds: linkedIds })
    : [];
  const linkedById = new Map(linked.map((document) => [citationId(document), document]));

  const model = getEmbeddingModelKey(deps);
  const queries = params.items.map((item) => `${item.title}\n${item.description}`.trim());
  const embeddings = model && params.items.length > 0 ? await embedNormalized(deps, queries, params.signal) : [];

  const evidence = new Map<string, EvidenceEntry>();
  const evidenceIdsByItem = new Map<string, string[]>();
  for (const [index, item] of params.items.entries()) {
    const ids: string[] = [];
    for (const id of item.evidence_ids) {
      const document = linkedById.get(id);
      if (!document || ids.length >= perItem) continue;
      ids.push(id);
      evidence.set(id, { id, text: document.content.slice(0, MAX_EVIDENCE_CHARS) });
    }

    const embedding = embeddings[index];
    if (model && embedding && ids.length < perItem) {
      const matches = await searchByEmbedding(deps, {
        workspaceId: params.workspaceId,
        embedding,
        model,
        limit: perItem * 2,
        excludeDocumentIds: ids.flatMap((id) => (linkedById.get(id) ? [linkedById.get(id)?.id as string] : [])),
      });
      for (const match of bestChunkPerDocument(matches)) {
        if (ids.length >= perItem) break;
        const id = match.documentExternalId ?? match.documentId;
        ids.push(id);
        if (!evidence.has(id)) evidence.set(id, { id, text: match.text.slice(0, MAX_EVIDENCE_CHARS) });
      }
    }
    evidenceIdsByItem.set(item.id, ids);
  }
  return { evidence: [...evidence.values()], evidenceIdsByItem };
}

function bestChunkPerDocument(matches: ChunkMatch[]): ChunkMatch[] {
  const seen = new Set<string>();
  return matches.filter((match) => {
    if (seen.has(match.documentId)) return false;
    seen.add(match.documentId);
    return true;
  });
}

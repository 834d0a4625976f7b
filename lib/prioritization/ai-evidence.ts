import { z } from "zod";
import type { Db } from "@/db/client";
import { getDocument, listDocuments } from "@/db/queries/documents";
import type { Document } from "@/db/schema";
import { getEmbeddingModelKey, type KnowledgeDeps } from "@/lib/knowledge/deps";
import { embedNormalized } from "@/lib/knowledge/embedding";
import { searchByEmbedding } from "@/lib/knowledge/search";
import type { Logger } from "@/lib/logger";
import { truncateText } from "@/lib/text";

/** An `<evidence>` object of the prioritizer prompt; `id` is what the model cites. */
export interface EvidenceSnippet {
  id: string;
  text: string;
}

/** Longest evidence text put in a prompt, in characters; long documents are cut, not dropped. */
export const MAX_SNIPPET_CHARS = 1500;
/** Linked documents per item, oldest first: feedback threads rarely need more to show demand. */
export const MAX_LINKED_PER_ITEM = 8;
/** Knowledge-base passages retrieved per item, after its linked documents. */
export const RETRIEVED_PER_ITEM = 3;
/** Evidence objects per batch, so a batch of well-documented items keeps a bounded prompt. */
export const MAX_EVIDENCE_PER_BATCH = 60;

export interface EvidenceItem {
  itemId: string;
  ref: string;
  title: string;
  description: string;
}

/** Knowledge-base passages for items, by ref; the caller puts them after the linked documents. */
export type EvidenceRetriever = (params: {
  db: Db;
  workspaceId: string;
  items: EvidenceItem[];
  signal?: AbortSignal;
}) => Promise<Map<string, EvidenceSnippet[]>>;

function cut(text: string): string {
  return truncateText(text, MAX_SNIPPET_CHARS);
}

/**
 * Collect a batch's evidence: first the documents linked to each item (the PM's own evidence),
 * then passages the knowledge base retrieves for the item's title and description. Returns the
 * evidence block and each item's `evidence_ids`. A retrieval failure is logged and leaves the
 * linked documents, because a run must not fail for want of extra context.
 */
export async function gatherBatchEvidence(
  db: Db,
  params: { workspaceId: string; items: EvidenceItem[]; retrieve?: EvidenceRetriever; log: Logger },
): Promise<{ evidence: EvidenceSnippet[]; idsByRef: Map<string, string[]> }> {
  const evidence = new Map<string, EvidenceSnippet>();
  const idsByRef = new Map<string, string[]>(params.items.map((item) => [item.ref, []]));
  const add = (ref: string, snippet: EvidenceSnippet) => {
    const ids = idsByRef.get(ref) ?? [];
    if (ids.includes(snippet.id)) return;
    if (!evidence.has(snippet.id)) {
      if (evidence.size >= MAX_EVIDENCE_PER_BATCH) return;
      evidence.set(snippet.id, { id: snippet.id, text: cut(snippet.text) });
    }
    ids.push(snippet.id);
    idsByRef.set(ref, ids);
  };

  const documents = await listDocuments(db, {
    workspaceId: params.workspaceId,
    itemIds: params.items.map((item) => item.itemId),
  });
  for (const item of params.items) {
    const linked = documents.filter((document) => document.itemId === item.itemId).slice(0, MAX_LINKED_PER_ITEM);
    for (const document of linked) add(item.ref, { id: document.externalId ?? document.id, text: document.content });
  }

  if (params.retrieve && params.items.length > 0) {
    try {
      const retrieved = await params.retrieve({ db, workspaceId: params.workspaceId, items: params.items });
      for (const item of params.items) for (const snippet of retrieved.get(item.ref) ?? []) add(item.ref, snippet);
    } catch (error) {
      params.log.warn({ err: error }, "knowledge retrieval failed; the batch uses linked documents only");
    }
  }
  return { evidence: [...evidence.values()], idsByRef };
}

/** Load the live documents that citation ids name (an external id such as `AF012`, or a uuid), by cited id. */
export async function loadCitedDocuments(db: Db, workspaceId: string, ids: string[]): Promise<Map<string, Document>> {
  const unique = [...new Set(ids)];
  const uuids = unique.filter((id) => z.uuid().safeParse(id).success);
  const externalIds = unique.filter((id) => !uuids.includes(id));
  const byExternal = externalIds.length > 0 ? await listDocuments(db, { workspaceId, externalIds }) : [];
  const byUuid = await Promise.all(uuids.map((documentId) => getDocument(db, { workspaceId, documentId })));

  const found = new Map<string, Document>();
  for (const document of byExternal) if (document.externalId) found.set(document.externalId, document);
  for (const document of byUuid) if (document) found.set(document.id, document);
  return found;
}

/**
 * A retriever over the knowledge base: one embedding request for the batch's items, then a vector
 * search per item, on the run's database. Finds nothing when no embedding model is configured.
 */
export function createKnowledgeRetriever(
  getDeps: () => Promise<KnowledgeDeps>,
  perItem = RETRIEVED_PER_ITEM,
): EvidenceRetriever {
  return async ({ db, workspaceId, items, signal }) => {
    const deps = { ...(await getDeps()), db };
    const model = getEmbeddingModelKey(deps);
    const found = new Map<string, EvidenceSnippet[]>();
    if (!model) return found;

    const queries = items.map((item) => `${item.title}\n${item.description}`.slice(0, 4000));
    const embeddings = await embedNormalized(deps, queries, signal);
    for (const [index, item] of items.entries()) {
      const embedding = embeddings[index];
      if (!embedding) continue;
      const matches = await searchByEmbedding(deps, { workspaceId, embedding, model, limit: perItem });
      found.set(
        item.ref,
        matches.map((match) => ({ id: match.documentExternalId ?? match.documentId, text: match.text })),
      );
    }
    return found;
  };
}

/** A cited document as the pages show it: its title, the start of its text and its links. */
export interface CitedDocumentView {
  documentId: string;
  title: string;
  excerpt: string;
  sourceUrl: string | null;
}

/** Load the live documents that citation ids name, as views by cited id, each excerpt cut to `excerptChars`. */
export async function loadCitedDocumentViews(
  db: Db,
  workspaceId: string,
  ids: string[],
  excerptChars: number,
): Promise<Record<string, CitedDocumentView>> {
  const views: Record<string, CitedDocumentView> = {};
  for (const [id, document] of await loadCitedDocuments(db, workspaceId, ids)) {
    views[id] = {
      documentId: document.id,
      title: document.title,
      excerpt: truncateText(document.content, excerptChars),
      sourceUrl: document.sourceUrl,
    };
  }
  return views;
}

import { z } from "zod";
import type { Db } from "@/db/client";
import { getBacklogItem, insertAuditEntries, listBacklogItems } from "@/db/queries/backlog";
import {
  getDocument,
  insertDocuments,
  listDocuments,
  type NewDocument,
  setDocumentDeleted,
} from "@/db/queries/documents";
import {
  type DocumentIndexState,
  deleteDocumentChunks,
  listDocumentChunks,
  listDocumentIndexStates,
  queueKnowledgeJob,
} from "@/db/queries/knowledge";
import { type Document, type DocumentKind, documentKinds, type KnowledgeChunk } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { badRequest, notFound } from "@/lib/errors";
import { strictObjectWithFieldList } from "@/lib/validation";
import { getEmbeddingModelKey, type KnowledgeDeps } from "./deps";
import { chunkAndStoreDocument } from "./indexing";
import { type DocumentDraft, httpUrlSchema, languageTagSchema } from "./uploads";

/** Longest pasted document, in characters. */
export const MAX_PASTE_CHARS = 500_000;

export const pasteDocumentSchema = strictObjectWithFieldList({
  title: z.string().trim().min(1, "expected a title").max(200),
  content: z.string().trim().min(1, "expected some text").max(MAX_PASTE_CHARS),
  kind: z.enum(["note", "feedback"]).default("note"),
  sourceUrl: httpUrlSchema.nullish(),
  language: languageTagSchema.nullish(),
  /** A backlog item's external id (`A01`) or number (`#12`). */
  itemRef: z.string().trim().min(1).max(100).optional(),
  /** A backlog item's id. An item that is not in the workspace is a 404. */
  itemId: z.uuid().optional(),
}).refine((value) => !(value.itemRef && value.itemId), {
  message: "give itemRef or itemId, not both",
  path: ["itemId"],
});
export type PasteDocument = z.infer<typeof pasteDocumentSchema>;

/**
 * Read a query parameter given once or repeated as a list. Each value is checked with `schema`,
 * so an error states its rule instead of the "Invalid input" of a union.
 */
function oneOrMany<Schema extends z.ZodType>(schema: Schema) {
  return z.preprocess(
    (value) => (value === undefined || Array.isArray(value) ? value : [value]),
    z.array(schema).optional(),
  );
}

export const documentListQuerySchema = z.object({
  kind: oneOrMany(z.enum(documentKinds, { error: `expected one of ${documentKinds.join(", ")}` })),
  language: oneOrMany(languageTagSchema),
  search: z.string().trim().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});
export type DocumentListQuery = z.infer<typeof documentListQuerySchema>;

export function pasteToDraft(paste: PasteDocument): DocumentDraft {
  return {
    kind: paste.kind,
    title: paste.title,
    content: paste.content,
    sourceUrl: paste.sourceUrl ?? null,
    language: paste.language ?? null,
    itemRef: paste.itemRef,
    itemId: paste.itemId,
    metadata: { format: "markdown" },
  };
}

/** Map `A01` and `#12` references to item ids; an unknown reference is a 400 naming it. */
async function resolveItemRefs(db: Db, workspaceId: string, drafts: DocumentDraft[]): Promise<Map<string, string>> {
  const refs = [...new Set(drafts.flatMap((draft) => (draft.itemRef ? [draft.itemRef] : [])))];
  if (refs.length === 0) return new Map();
  const items = await listBacklogItems(db, { workspaceId });
  const byRef = new Map<string, string>();
  for (const item of items) {
    if (item.externalId) byRef.set(item.externalId.toLowerCase(), item.id);
    byRef.set(`#${item.number}`, item.id);
  }
  const unknown = refs.filter((ref) => !byRef.has(ref.toLowerCase()));
  if (unknown.length > 0) {
    const listed = unknown.slice(0, 5).join(", ");
    throw badRequest(`No backlog item has the id ${listed}. Use an item id such as A01 or #12.`, {
      field: "itemRef",
      reason: "document_item_ref_unknown",
      params: { refs: listed },
    });
  }
  return new Map(refs.map((ref) => [ref, byRef.get(ref.toLowerCase()) as string]));
}

/**
 * Check that the drafts' item ids are live items of the workspace. An unknown id and an id of
 * another workspace get the same 404.
 */
async function requireItemIds(db: Db, workspaceId: string, drafts: DocumentDraft[]): Promise<void> {
  const itemIds = [...new Set(drafts.flatMap((draft) => (draft.itemId ? [draft.itemId] : [])))];
  for (const itemId of itemIds) {
    if (!(await getBacklogItem(db, { workspaceId, itemId }))) throw notFound("item");
  }
}

export interface CreateDocumentsResult {
  documents: Document[];
  /** Drafts whose external id already exists in the workspace; they were not stored again. */
  skippedExternalIds: string[];
}

/**
 * Store documents and their chunks in one transaction, and queue the embedding job; the caller
 * wakes the indexer afterwards. Drafts whose external id the workspace already has are skipped.
 */
export async function createDocuments(
  deps: Pick<KnowledgeDeps, "db" | "settings">,
  params: { actor: Actor; workspaceId: string; drafts: DocumentDraft[] },
): Promise<CreateDocumentsResult> {
  if (params.drafts.length === 0) {
    throw badRequest("Nothing to store: the upload has no documents.", {
      field: "file",
      reason: "upload_no_documents",
    });
  }

  return deps.db.transaction(async (tx) => {
    await requireItemIds(tx, params.workspaceId, params.drafts);
    const itemIds = await resolveItemRefs(tx, params.workspaceId, params.drafts);
    const rows: NewDocument[] = params.drafts.map((draft) => ({
      workspaceId: params.workspaceId,
      externalId: draft.externalId ?? null,
      kind: draft.kind,
      title: draft.title,
      content: draft.content,
      sourceUrl: draft.sourceUrl ?? null,
      language: draft.language ?? null,
      itemId: draft.itemId ?? (draft.itemRef ? (itemIds.get(draft.itemRef) ?? null) : null),
      metadata: draft.metadata,
      createdById: params.actor.userId,
    }));
    const documents = await insertDocuments(tx, rows);
    for (const document of documents) await chunkAndStoreDocument(tx, deps.settings, document);
    await queueKnowledgeJob(tx, { workspaceId: params.workspaceId, requestedById: params.actor.userId });
    await insertAuditEntries(
      tx,
      documents.map((document) => ({
        workspaceId: params.workspaceId,
        actorId: params.actor.userId,
        action: "document.create",
        entityType: "document",
        entityId: document.id,
        after: { title: document.title, kind: document.kind, externalId: document.externalId },
      })),
    );

    const stored = new Set(documents.map((document) => document.externalId));
    const skippedExternalIds = rows.flatMap((row) =>
      row.externalId && !stored.has(row.externalId) ? [row.externalId] : [],
    );
    return { documents, skippedExternalIds };
  });
}

/** Soft-delete a document and remove its chunks and embeddings at once, so answers stop citing it. */
export async function deleteKnowledgeDocument(
  db: Db,
  params: { actor: Actor; workspaceId: string; documentId: string },
): Promise<Document> {
  if (!z.uuid().safeParse(params.documentId).success) throw notFound("document");
  return db.transaction(async (tx) => {
    const deleted = await setDocumentDeleted(tx, {
      workspaceId: params.workspaceId,
      documentId: params.documentId,
      deleted: true,
    });
    if (!deleted) throw notFound("document");
    await deleteDocumentChunks(tx, params);
    await insertAuditEntries(tx, [
      {
        workspaceId: params.workspaceId,
        actorId: params.actor.userId,
        action: "document.delete",
        entityType: "document",
        entityId: deleted.id,
        before: { title: deleted.title, kind: deleted.kind, externalId: deleted.externalId },
      },
    ]);
    return deleted;
  });
}

export interface DocumentSummary {
  id: string;
  externalId: string | null;
  kind: DocumentKind;
  title: string;
  sourceUrl: string | null;
  language: string | null;
  itemId: string | null;
  format: string | null;
  createdAt: Date;
  /** Chunks, and chunks with an embedding from the configured model. */
  chunkCount: number;
  embeddedCount: number;
}

function toSummary(document: Document, state: DocumentIndexState | undefined): DocumentSummary {
  return {
    id: document.id,
    externalId: document.externalId,
    kind: document.kind,
    title: document.title,
    sourceUrl: document.sourceUrl,
    language: document.language,
    itemId: document.itemId,
    format: typeof document.metadata.format === "string" ? document.metadata.format : null,
    createdAt: document.createdAt,
    chunkCount: state?.chunks ?? 0,
    embeddedCount: state?.embedded ?? 0,
  };
}

function asList<T>(value: T | T[] | undefined): T[] | undefined {
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value : [value];
}

/** The workspace's live documents matching the query, newest first, with their index state. */
export async function listKnowledgeDocuments(
  deps: Pick<KnowledgeDeps, "db" | "gateway" | "settings">,
  params: { workspaceId: string; query: DocumentListQuery },
): Promise<{ documents: DocumentSummary[]; total: number }> {
  const languages = asList(params.query.language)?.map((tag) => tag.split("-")[0]);
  const all = await listDocuments(deps.db, {
    workspaceId: params.workspaceId,
    kinds: asList(params.query.kind),
    search: params.query.search || undefined,
  });
  const matching = all
    .filter((document) => !languages || languages.includes((document.language ?? "").toLowerCase().split("-")[0] ?? ""))
    .reverse();
  const page = matching.slice(params.query.offset, params.query.offset + params.query.limit);
  const states = await listDocumentIndexStates(deps.db, {
    workspaceId: params.workspaceId,
    model: getEmbeddingModelKey(deps) ?? "",
  });
  return { documents: page.map((document) => toSummary(document, states.get(document.id))), total: matching.length };
}

export interface DocumentWithChunks {
  document: Document;
  chunks: Omit<KnowledgeChunk, "embedding">[];
}

export async function getDocumentWithChunksOrThrow(
  db: Db,
  params: { workspaceId: string; documentId: string },
): Promise<DocumentWithChunks> {
  if (!z.uuid().safeParse(params.documentId).success) throw notFound("document");
  const document = await getDocument(db, params);
  if (!document) throw notFound("document");
  return { document, chunks: await listDocumentChunks(db, params) };
}

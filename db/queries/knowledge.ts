import { and, asc, desc, eq, inArray, isNull, lt, or, type SQL, sql } from "drizzle-orm";
import { type Db, executeRows, type VectorPath } from "@/db/client";
import {
  type DocumentKind,
  document,
  type KnowledgeChunk,
  type KnowledgeJob,
  knowledgeChunk,
  knowledgeJob,
  knowledgeSource,
} from "@/db/schema";
import { chunk as splitIntoParts } from "./backlog";

// ---------------------------------------------------------------------------------------------
// Chunks and the documents they come from
// ---------------------------------------------------------------------------------------------

export interface NewChunk {
  position: number;
  text: string;
  tokenCount: number;
  startOffset: number;
  endOffset: number;
  heading: string | null;
}

/** Replace a document's chunks (their embeddings go with them) and record the content they were cut from. */
export async function replaceDocumentChunks(
  db: Db,
  params: { workspaceId: string; documentId: string; content: string; chunks: NewChunk[] },
): Promise<void> {
  await db.delete(knowledgeChunk).where(eq(knowledgeChunk.documentId, params.documentId));
  for (const part of splitIntoParts(params.chunks)) {
    await db
      .insert(knowledgeChunk)
      .values(part.map((row) => ({ ...row, workspaceId: params.workspaceId, documentId: params.documentId })));
  }
  // Hashed by Postgres, as `listDocumentsToChunk` compares it with md5(content) there.
  const hash = sql`md5(${params.content})`;
  await db
    .insert(knowledgeSource)
    .values({
      documentId: params.documentId,
      workspaceId: params.workspaceId,
      contentHash: hash,
      chunkCount: params.chunks.length,
    })
    .onConflictDoUpdate({
      target: knowledgeSource.documentId,
      set: { contentHash: hash, chunkCount: params.chunks.length, chunkedAt: sql`now()` },
    });
}

export async function deleteDocumentChunks(db: Db, params: { workspaceId: string; documentId: string }): Promise<void> {
  const scope = (table: typeof knowledgeChunk | typeof knowledgeSource) =>
    and(eq(table.workspaceId, params.workspaceId), eq(table.documentId, params.documentId));
  await db.delete(knowledgeChunk).where(scope(knowledgeChunk));
  await db.delete(knowledgeSource).where(scope(knowledgeSource));
}

export interface DocumentToChunk {
  id: string;
  workspaceId: string;
  title: string;
  content: string;
  metadata: Record<string, unknown>;
}

/** Live documents, of every workspace, never chunked or edited since they were chunked; oldest first. */
export async function listDocumentsToChunk(db: Db, params: { limit: number }): Promise<DocumentToChunk[]> {
  return db
    .select({
      id: document.id,
      workspaceId: document.workspaceId,
      title: document.title,
      content: document.content,
      metadata: document.metadata,
    })
    .from(document)
    .leftJoin(knowledgeSource, eq(knowledgeSource.documentId, document.id))
    .where(
      and(
        isNull(document.deletedAt),
        or(isNull(knowledgeSource.documentId), sql`${knowledgeSource.contentHash} <> md5(${document.content})`),
      ),
    )
    .orderBy(asc(document.createdAt), asc(document.id))
    .limit(params.limit);
}

/** Remove the chunks of documents deleted by any code path; returns how many documents had some. */
export async function purgeChunksOfDeletedDocuments(db: Db): Promise<number> {
  const deleted = db.select({ id: document.id }).from(document).where(sql`${document.deletedAt} is not null`);
  await db.delete(knowledgeChunk).where(inArray(knowledgeChunk.documentId, deleted));
  const sources = await db
    .delete(knowledgeSource)
    .where(inArray(knowledgeSource.documentId, deleted))
    .returning({ id: knowledgeSource.documentId });
  return sources.length;
}

export async function listDocumentChunks(
  db: Db,
  params: { workspaceId: string; documentId: string },
): Promise<Omit<KnowledgeChunk, "embedding">[]> {
  return db
    .select({
      id: knowledgeChunk.id,
      workspaceId: knowledgeChunk.workspaceId,
      documentId: knowledgeChunk.documentId,
      position: knowledgeChunk.position,
      text: knowledgeChunk.text,
      tokenCount: knowledgeChunk.tokenCount,
      startOffset: knowledgeChunk.startOffset,
      endOffset: knowledgeChunk.endOffset,
      heading: knowledgeChunk.heading,
      embeddingModel: knowledgeChunk.embeddingModel,
      embeddingDimensions: knowledgeChunk.embeddingDimensions,
      embeddedAt: knowledgeChunk.embeddedAt,
      createdAt: knowledgeChunk.createdAt,
    })
    .from(knowledgeChunk)
    .where(and(eq(knowledgeChunk.workspaceId, params.workspaceId), eq(knowledgeChunk.documentId, params.documentId)))
    .orderBy(asc(knowledgeChunk.position));
}

export interface DocumentIndexState {
  documentId: string;
  chunks: number;
  embedded: number;
}

/** Per document of the workspace, its chunks and how many have an embedding from `model`. */
export async function listDocumentIndexStates(
  db: Db,
  params: { workspaceId: string; model: string },
): Promise<Map<string, DocumentIndexState>> {
  const rows = await db
    .select({
      documentId: knowledgeChunk.documentId,
      chunks: sql<number>`count(*)::int`,
      embedded: sql<number>`(count(*) filter (where ${knowledgeChunk.embeddingModel} = ${params.model}))::int`,
    })
    .from(knowledgeChunk)
    .where(eq(knowledgeChunk.workspaceId, params.workspaceId))
    .groupBy(knowledgeChunk.documentId);
  return new Map(rows.map((row) => [row.documentId, row]));
}

// ---------------------------------------------------------------------------------------------
// Embeddings
// ---------------------------------------------------------------------------------------------

const needsEmbedding = (model: string) => sql`${knowledgeChunk.embeddingModel} is distinct from ${model}`;

export interface ChunkToEmbed {
  id: string;
  text: string;
  heading: string | null;
  documentTitle: string;
}

export async function listChunksToEmbed(
  db: Db,
  params: { workspaceId: string; model: string; limit: number },
): Promise<ChunkToEmbed[]> {
  return db
    .select({
      id: knowledgeChunk.id,
      text: knowledgeChunk.text,
      heading: knowledgeChunk.heading,
      documentTitle: document.title,
    })
    .from(knowledgeChunk)
    .innerJoin(document, eq(document.id, knowledgeChunk.documentId))
    .where(and(eq(knowledgeChunk.workspaceId, params.workspaceId), needsEmbedding(params.model)))
    .orderBy(asc(knowledgeChunk.documentId), asc(knowledgeChunk.position))
    .limit(params.limit);
}

export async function countChunksToEmbed(db: Db, params: { workspaceId: string; model: string }): Promise<number> {
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(knowledgeChunk)
    .where(and(eq(knowledgeChunk.workspaceId, params.workspaceId), needsEmbedding(params.model)));
  return row?.count ?? 0;
}

/** Chunks of the workspace that have an embedding from `model`, whichever job wrote it. */
export async function countEmbeddedChunks(db: Db, params: { workspaceId: string; model: string }): Promise<number> {
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(knowledgeChunk)
    .where(and(eq(knowledgeChunk.workspaceId, params.workspaceId), eq(knowledgeChunk.embeddingModel, params.model)));
  return row?.count ?? 0;
}

/**
 * Workspaces with chunks lacking an embedding from `model`, no queued or running job, and no job
 * that failed in the last `retryFailedAfterSeconds` (so a provider outage is not retried in a loop).
 */
export async function listWorkspacesToEmbed(
  db: Db,
  params: { model: string; retryFailedAfterSeconds: number },
): Promise<string[]> {
  const rows = await db
    .selectDistinct({ workspaceId: knowledgeChunk.workspaceId })
    .from(knowledgeChunk)
    .where(
      and(
        needsEmbedding(params.model),
        sql`not exists (
          select 1 from ${knowledgeJob} where ${knowledgeJob.workspaceId} = ${knowledgeChunk.workspaceId}
          and (${knowledgeJob.status} in ('queued', 'running')
            or (${knowledgeJob.status} = 'failed'
              and ${knowledgeJob.finishedAt} > now() - make_interval(secs => ${params.retryFailedAfterSeconds}))))`,
      ),
    );
  return rows.map((row) => row.workspaceId);
}

/** pgvector's text form, `[0.1,0.2]`; also parsed into `real[]` below. */
export function toVectorLiteral(values: readonly number[]): string {
  return `[${values.join(",")}]`;
}

/**
 * Store embeddings (already L2-normalised) in `embedding`, and in `embedding_vector` on the
 * pgvector path. Chunks deleted meanwhile are skipped; returns how many chunks were written.
 */
export async function writeChunkEmbeddings(
  db: Db,
  params: { vectorPath: VectorPath; model: string; rows: Array<{ id: string; embedding: number[] }> },
): Promise<number> {
  if (params.rows.length === 0) return 0;
  const values = sql.join(
    params.rows.map((row) => sql`(${row.id}::uuid, ${toVectorLiteral(row.embedding)})`),
    sql`, `,
  );
  const vectorColumn = params.vectorPath === "pgvector" ? sql`, embedding_vector = v.literal::vector` : sql``;
  const written = await executeRows<{ id: string }>(
    db,
    sql`
    update knowledge_chunk as c
    set embedding = string_to_array(trim(both '[]' from v.literal), ',')::real[],
        embedding_model = ${params.model},
        embedding_dimensions = array_length(string_to_array(trim(both '[]' from v.literal), ','), 1),
        embedded_at = now()
        ${vectorColumn}
    from (values ${values}) as v(id, literal)
    where c.id = v.id
    returning c.id`,
  );
  return written.length;
}

// ---------------------------------------------------------------------------------------------
// Embedding jobs
// ---------------------------------------------------------------------------------------------

/** Queue a job unless one is queued or running for the workspace; returns the active job either way. */
export async function queueKnowledgeJob(
  db: Db,
  params: { workspaceId: string; requestedById?: string | null },
): Promise<KnowledgeJob> {
  const [inserted] = await db
    .insert(knowledgeJob)
    .values({ workspaceId: params.workspaceId, requestedById: params.requestedById ?? null })
    .onConflictDoNothing()
    .returning();
  if (inserted) return inserted;
  const [active] = await db
    .select()
    .from(knowledgeJob)
    .where(and(eq(knowledgeJob.workspaceId, params.workspaceId), inArray(knowledgeJob.status, ["queued", "running"])));
  if (!active)
    throw new Error(`No active embedding job for workspace ${params.workspaceId} after a conflicting insert.`);
  return active;
}

/**
 * Take the oldest queued job, or a running job whose lease expired, and lease it to `owner`.
 * `skip locked` lets several instances claim at once without taking the same job.
 */
export async function claimKnowledgeJob(
  db: Db,
  params: { owner: string; leaseSeconds: number },
): Promise<KnowledgeJob | undefined> {
  const rows = await executeRows<{ id: string }>(
    db,
    sql`
      update knowledge_job set status = 'running', lease_owner = ${params.owner},
        lease_expires_at = now() + make_interval(secs => ${params.leaseSeconds}),
        attempts = attempts + 1, started_at = coalesce(started_at, now())
      where id = (
        select id from knowledge_job
        where status = 'queued' or (status = 'running' and lease_expires_at < now())
        order by created_at
        limit 1
        for update skip locked
      )
      returning id`,
  );
  const id = rows[0]?.id;
  if (!id) return undefined;
  const [job] = await db.select().from(knowledgeJob).where(eq(knowledgeJob.id, id));
  return job;
}

/** Record progress and extend the lease; returns false when another owner holds the job now. */
export async function updateKnowledgeJobProgress(
  db: Db,
  params: {
    jobId: string;
    owner: string;
    leaseSeconds: number;
    patch: Partial<Pick<KnowledgeJob, "model" | "totalChunks" | "embeddedChunks">>;
  },
): Promise<boolean> {
  const rows = await db
    .update(knowledgeJob)
    .set({ ...params.patch, leaseExpiresAt: sql`now() + make_interval(secs => ${params.leaseSeconds})` })
    .where(
      and(
        eq(knowledgeJob.id, params.jobId),
        eq(knowledgeJob.leaseOwner, params.owner),
        eq(knowledgeJob.status, "running"),
      ),
    )
    .returning({ id: knowledgeJob.id });
  return rows.length > 0;
}

export async function finishKnowledgeJob(
  db: Db,
  params: { jobId: string; owner: string; status: "completed" | "failed"; error?: { code: string; message: string } },
): Promise<void> {
  await db
    .update(knowledgeJob)
    .set({ status: params.status, error: params.error ?? null, finishedAt: sql`now()`, leaseExpiresAt: null })
    .where(and(eq(knowledgeJob.id, params.jobId), eq(knowledgeJob.leaseOwner, params.owner)));
}

/** Give a job back to the queue (the worker is stopping), keeping its progress. */
export async function releaseKnowledgeJob(db: Db, params: { jobId: string; owner: string }): Promise<void> {
  await db
    .update(knowledgeJob)
    .set({ status: "queued", leaseOwner: null, leaseExpiresAt: null })
    .where(
      and(
        eq(knowledgeJob.id, params.jobId),
        eq(knowledgeJob.leaseOwner, params.owner),
        eq(knowledgeJob.status, "running"),
      ),
    );
}

export async function getLatestKnowledgeJob(
  db: Db,
  params: { workspaceId: string },
): Promise<KnowledgeJob | undefined> {
  const [job] = await db
    .select()
    .from(knowledgeJob)
    .where(eq(knowledgeJob.workspaceId, params.workspaceId))
    .orderBy(desc(knowledgeJob.createdAt))
    .limit(1);
  return job;
}

/** Delete finished jobs older than `before`, keeping each workspace's history short. */
export async function deleteFinishedKnowledgeJobs(db: Db, params: { before: Date }): Promise<void> {
  await db
    .delete(knowledgeJob)
    .where(and(inArray(knowledgeJob.status, ["completed", "failed"]), lt(knowledgeJob.createdAt, params.before)));
}

// ---------------------------------------------------------------------------------------------
// Vector search
// ---------------------------------------------------------------------------------------------

export interface ChunkSearchParams {
  workspaceId: string;
  /** L2-normalised query embedding from `model`. */
  embedding: number[];
  model: string;
  limit: number;
  /** Cosine similarity from 0 to 1; chunks below it are left out. */
  minSimilarity: number;
  kinds?: DocumentKind[];
  /** Primary language tags such as `en`; matches `en-US` too. */
  languages?: string[];
  documentIds?: string[];
  excludeDocumentIds?: string[];
}

export interface ChunkMatch {
  chunkId: string;
  documentId: string;
  position: number;
  text: string;
  heading: string | null;
  startOffset: number;
  endOffset: number;
  similarity: number;
  documentTitle: string;
  documentKind: DocumentKind;
  documentLanguage: string | null;
  documentExternalId: string | null;
  documentSourceUrl: string | null;
  documentItemId: string | null;
}

const matchColumns = sql`
  c.id as "chunkId", c.document_id as "documentId", c.position, c.text, c.heading,
  c.start_offset as "startOffset", c.end_offset as "endOffset",
  d.title as "documentTitle", d.kind as "documentKind", d.language as "documentLanguage",
  d.external_id as "documentExternalId", d.source_url as "documentSourceUrl", d.item_id as "documentItemId"`;

function searchFilters(params: ChunkSearchParams): SQL {
  const conditions: SQL[] = [
    sql`c.workspace_id = ${params.workspaceId}`,
    sql`c.embedding_model = ${params.model}`,
    sql`c.embedding_dimensions = ${params.embedding.length}`,
    sql`d.deleted_at is null`,
  ];
  if (params.kinds?.length)
    conditions.push(
      sql`d.kind in (${sql.join(
        params.kinds.map((kind) => sql`${kind}`),
        sql`, `,
      )})`,
    );
  if (params.languages?.length) {
    const tags = params.languages.map((tag) => sql`${tag.toLowerCase().split("-")[0]}`);
    conditions.push(sql`lower(split_part(d.language, '-', 1)) in (${sql.join(tags, sql`, `)})`);
  }
  // One array parameter each: a list of ids as separate parameters stops at the protocol's 65,535.
  if (params.documentIds) {
    if (params.documentIds.length === 0) conditions.push(sql`false`);
    else conditions.push(sql`c.document_id = any(${sql.param(params.documentIds)}::uuid[])`);
  }
  if (params.excludeDocumentIds?.length) {
    conditions.push(sql`c.document_id <> all(${sql.param(params.excludeDocumentIds)}::uuid[])`);
  }
  return sql.join(conditions, sql` and `);
}

function toMatches(rows: Array<ChunkMatch & { similarity: number | string }>): ChunkMatch[] {
  return rows.map((row) => ({ ...row, similarity: Number(row.similarity) }));
}

/**
 * Exact cosine search without pgvector: the dot product of normalised vectors, over every chunk
 * of the workspace that passes the filters. Ties are ordered by chunk id, as on the pgvector path.
 */
export async function searchChunksExact(db: Db, params: ChunkSearchParams): Promise<ChunkMatch[]> {
  const query = `{${params.embedding.join(",")}}`;
  const rows = await executeRows<ChunkMatch & { similarity: number }>(
    db,
    sql`
      select * from (
        select ${matchColumns},
          (select sum(a::float8 * b::float8) from unnest(c.embedding, ${query}::float8[]) as t(a, b)) as similarity
        from knowledge_chunk c join document d on d.id = c.document_id
        where ${searchFilters(params)}
      ) s
      where s.similarity >= ${params.minSimilarity}
      order by s.similarity desc, s."chunkId"
      limit ${params.limit}`,
  );
  return toMatches(rows);
}

/**
 * Approximate nearest neighbours through the HNSW index of the query's dimension, then the
 * threshold and a re-sort by (distance, id). The index returns up to `ef_search` candidates, and
 * iterative scans (pgvector 0.8 and later) continue past chunks the filters reject.
 */
export async function searchChunksPgvector(db: Db, params: ChunkSearchParams): Promise<ChunkMatch[]> {
  const dimensions = params.embedding.length;
  if (!Number.isInteger(dimensions) || dimensions < 1) throw new Error("The query embedding is empty.");
  const vectorType = sql.raw(`vector(${dimensions})`);
  const literal = toVectorLiteral(params.embedding);
  const candidates = Math.min(1000, Math.max(40, params.limit * 4));

  return db.transaction(async (tx) => {
    // set_config(..., true) is SET LOCAL: the settings end with this transaction.
    const iterative = await supportsIterativeScan(tx);
    await tx.execute(
      iterative
        ? sql`select set_config('hnsw.ef_search', ${String(candidates)}, true), set_config('hnsw.iterative_scan', 'relaxed_order', true)`
        : sql`select set_config('hnsw.ef_search', ${String(candidates)}, true)`,
    );

    const rows = await executeRows<ChunkMatch & { similarity: number }>(
      tx,
      sql`
        select * from (
          select ${matchColumns}, 1 - (c.embedding_vector::${vectorType} <=> ${literal}::${vectorType}) as similarity
          from knowledge_chunk c join document d on d.id = c.document_id
          where ${searchFilters(params)}
          order by c.embedding_vector::${vectorType} <=> ${literal}::${vectorType}
          limit ${candidates}
        ) s
        where s.similarity >= ${params.minSimilarity}
        order by s.similarity desc, s."chunkId"
        limit ${params.limit}`,
    );
    return toMatches(rows);
  });
}

let iterativeScan: Promise<boolean> | undefined;

/** Whether pgvector has iterative index scans (0.8 and later); asked once per process. */
function supportsIterativeScan(db: Db): Promise<boolean> {
  iterativeScan ??= executeRows<{ extversion: string }>(
    db,
    sql`select extversion from pg_extension where extname = 'vector'`,
  )
    .then(([row]) => {
      const [major = 0, minor = 0] = (row?.extversion ?? "0.0").split(".").map(Number);
      return major > 0 || minor >= 8;
    })
    .catch((error: unknown) => {
      iterativeScan = undefined;
      throw error;
    });
  return iterativeScan;
}

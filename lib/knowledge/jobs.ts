import {
  countChunksToEmbed,
  finishKnowledgeJob,
  listChunksToEmbed,
  releaseKnowledgeJob,
  updateKnowledgeJobProgress,
  writeChunkEmbeddings,
} from "@/db/queries/knowledge";
import type { KnowledgeJob } from "@/db/schema";
import { ensureVectorIndex } from "@/db/vector";
import { isModelError } from "@/lib/ai";
import { getEmbeddingModelKey, type KnowledgeDeps } from "./deps";
import { buildEmbeddingInput, embedNormalized } from "./embedding";

/** Seconds a worker's claim on a job lasts without progress; past it, another worker resumes the job. */
export const JOB_LEASE_SECONDS = 60;

/** Starts of one job, resumptions included, before it fails instead of being taken again. */
const MAX_JOB_ATTEMPTS = 3;

export type JobOutcome = "completed" | "failed" | "released" | "lost";

/**
 * Embed the workspace's chunks that lack an embedding from the configured model, one batch at a
 * time, writing progress (and renewing the lease) after each batch. Work done before a crash stays
 * done: a resumed job only counts and embeds what is still missing.
 */
export async function runKnowledgeJob(
  deps: KnowledgeDeps,
  job: KnowledgeJob,
  options: { owner: string; signal: AbortSignal },
): Promise<JobOutcome> {
  const log = deps.log.child({ jobId: job.id, workspaceId: job.workspaceId, attempt: job.attempts });
  const lease = { jobId: job.id, owner: options.owner, leaseSeconds: JOB_LEASE_SECONDS };
  const model = getEmbeddingModelKey(deps);
  if (!model) {
    await finishKnowledgeJob(deps.db, {
      ...lease,
      status: "failed",
      error: { code: "not_configured", message: "No embedding model is configured." },
    });
    return "failed";
  }
  if (job.attempts > MAX_JOB_ATTEMPTS) {
    log.error("embedding job started too often; marking it failed");
    await finishKnowledgeJob(deps.db, {
      ...lease,
      status: "failed",
      error: { code: "interrupted", message: `The job was interrupted ${MAX_JOB_ATTEMPTS} times.` },
    });
    return "failed";
  }

  const remaining = await countChunksToEmbed(deps.db, { workspaceId: job.workspaceId, model });
  let embedded = job.model === model ? job.embeddedChunks : 0;
  await updateKnowledgeJobProgress(deps.db, {
    ...lease,
    patch: { model, totalChunks: embedded + remaining, embeddedChunks: embedded },
  });
  log.info({ model, remaining }, "embedding job started");
  const indexedDimensions = new Set<number>();

  try {
    for (;;) {
      if (options.signal.aborted) {
        await releaseKnowledgeJob(deps.db, lease);
        log.info({ embedded }, "embedding job released: the worker is stopping");
        return "released";
      }
      const batch = await listChunksToEmbed(deps.db, {
        workspaceId: job.workspaceId,
        model,
        limit: deps.settings.embedBatchSize,
      });
      if (batch.length === 0) break;

      const embeddings = await embedNormalized(deps, batch.map(buildEmbeddingInput), options.signal);
      const dimensions = embeddings[0]?.length ?? 0;
      if (deps.vectorPath === "pgvector" && dimensions > 0 && !indexedDimensions.has(dimensions)) {
        if (!(await ensureVectorIndex(deps.db, dimensions)))
          log.warn({ dimensions }, "embeddings too large for an HNSW index; pgvector scans them in full");
        indexedDimensions.add(dimensions);
      }
      // A chunk whose document was deleted meanwhile is gone, so it is not counted as embedded.
      embedded += await deps.db.transaction((tx) =>
        writeChunkEmbeddings(tx, {
          vectorPath: deps.vectorPath,
          model,
          rows: batch.map((chunk, index) => ({ id: chunk.id, embedding: embeddings[index] as number[] })),
        }),
      );
      if (!(await updateKnowledgeJobProgress(deps.db, { ...lease, patch: { embeddedChunks: embedded } }))) {
        log.warn({ embedded }, "embedding job lease lost to another worker; stopping here");
        return "lost";
      }
    }
  } catch (error) {
    if (options.signal.aborted) {
      await releaseKnowledgeJob(deps.db, lease);
      return "released";
    }
    const code = isModelError(error) ? error.kind : "internal_error";
    const message = isModelError(error) ? error.message : "Embedding failed on our side; see the server log.";
    log.error({ err: error, embedded }, "embedding job failed");
    await finishKnowledgeJob(deps.db, { ...lease, status: "failed", error: { code, message } });
    return "failed";
  }

  // Chunks deleted while the job ran are no longer to embed, so the total becomes what was embedded.
  await updateKnowledgeJobProgress(deps.db, { ...lease, patch: { totalChunks: embedded } });
  await finishKnowledgeJob(deps.db, { ...lease, status: "completed" });
  log.info({ embedded }, "embedding job completed");
  return "completed";
}

import type { KnowledgeJob, KnowledgeJobStatus } from "@/db/schema";

/** What the API and the knowledge page show of an embedding job. */
export interface KnowledgeJobStatusView {
  id: string;
  status: KnowledgeJobStatus;
  model: string | null;
  totalChunks: number;
  embeddedChunks: number;
  /** Share done, from 0 to 1; 1 for a finished job with nothing to embed. */
  progress: number;
  error: { code: string; message: string } | null;
  createdAt: string;
  finishedAt: string | null;
}

export function toJobStatus(job: KnowledgeJob): KnowledgeJobStatusView {
  const progress =
    job.totalChunks > 0 ? Math.min(1, job.embeddedChunks / job.totalChunks) : job.status === "completed" ? 1 : 0;
  return {
    id: job.id,
    status: job.status,
    model: job.model,
    totalChunks: job.totalChunks,
    embeddedChunks: job.embeddedChunks,
    progress,
    error: job.error ?? null,
    createdAt: job.createdAt.toISOString(),
    finishedAt: job.finishedAt?.toISOString() ?? null,
  };
}

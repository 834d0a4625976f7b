"use client";

import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import type { KnowledgeJobStatusView } from "@/lib/knowledge/status";

/** Poll interval while a job is queued or running, in milliseconds. */
const POLL_MS = 1500;

/**
 * The workspace's latest embedding job with its progress, polled while it runs; the page refreshes
 * when it ends, so the documents' embedded counts and `embeddedChunks` update.
 */
export function IndexStatus({
  workspaceId,
  initial,
  embeddedChunks,
  canEdit,
}: {
  workspaceId: string;
  initial: KnowledgeJobStatusView | null;
  /** Chunks of the workspace embedded with the current model, by every job so far. */
  embeddedChunks: number;
  canEdit: boolean;
}) {
  const t = useTranslations("knowledge");
  const router = useRouter();
  const [job, setJob] = useState(initial);
  const previous = useRef(initial?.status);
  const url = `/api/v1/workspaces/${workspaceId}/documents/indexing`;
  const active = job?.status === "queued" || job?.status === "running";

  useEffect(() => setJob(initial), [initial]);

  useEffect(() => {
    if (!active) return;
    const timer = setInterval(async () => {
      const response = await fetch(url, { cache: "no-store" });
      if (!response.ok) return;
      const body = (await response.json()) as { job: KnowledgeJobStatusView | null };
      setJob(body.job);
      if (previous.current !== body.job?.status && (body.job?.status === "completed" || body.job?.status === "failed"))
        router.refresh();
      previous.current = body.job?.status;
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [active, url, router]);

  const requeue = async () => {
    const response = await fetch(url, { method: "POST" });
    if (response.ok) setJob(((await response.json()) as { job: KnowledgeJobStatusView }).job);
  };

  return (
    <section
      aria-labelledby="index-status"
      className="flex flex-wrap items-center gap-3 rounded-lg border border-slate-200 bg-white p-4 text-sm"
    >
      <h2 id="index-status" className="font-semibold text-slate-900">
        {t("indexTitle")}
      </h2>
      <p role="status" className="text-slate-700" data-job-status={job?.status ?? "none"}>
        {describeJob(job, embeddedChunks, t)}
      </p>
      {active && job ? (
        <progress
          aria-label={t("indexProgress")}
          max={job.totalChunks || 1}
          value={job.embeddedChunks}
          className="h-2 w-40"
        />
      ) : null}
      {canEdit && !active ? (
        <Button variant="secondary" className="ml-auto" onClick={() => void requeue()}>
          {t("reindex")}
        </Button>
      ) : null}
    </section>
  );
}

/**
 * Describe the job's state. A completed job reports the workspace's embedded total, because a job
 * embeds only the chunks that lacked an embedding, so its own count can be a handful out of many.
 */
function describeJob(
  job: KnowledgeJobStatusView | null,
  embeddedChunks: number,
  t: ReturnType<typeof useTranslations<"knowledge">>,
): string {
  if (!job) return t("indexNone");
  switch (job.status) {
    case "queued":
      return t("indexQueued");
    case "running":
      return t("indexRunning", { done: job.embeddedChunks, total: job.totalChunks });
    case "completed":
      return t("indexCompleted", { total: embeddedChunks, model: job.model ?? "" });
    case "failed":
      return t("indexFailed", { message: job.error?.message ?? "" });
  }
}

import { randomUUID } from "node:crypto";
import os from "node:os";
import type { DatabaseHandle } from "@/db/client";
import type { RunOptions } from "@/db/schema";
import { getEnv } from "@/lib/env";
import type { Logger } from "@/lib/logger";
import type { GenerateChat, RenderedPrompt } from "./structured-call";

export interface PipelineSettings {
  /** Defaults of new runs; a run stores its own copy in `run.options`. */
  runDefaults: RunOptions;
  maxBatchExecutions: number;
  leaseSeconds: number;
  workerRuns: number;
  textCapChars: number;
  eventsPollMs: number;
}

export type RenderTaskPrompt = (params: {
  promptKey: string;
  language: string;
  variables: Record<string, unknown>;
  /** The task's output schema name, checked against the one the prompt declares. */
  outputSchemaName?: string;
}) => Promise<RenderedPrompt>;

/** Everything the pipeline needs from outside; tests build one with a simulator and a test database. */
export interface PipelineDeps {
  handle: DatabaseHandle;
  generate: GenerateChat;
  renderPrompt: RenderTaskPrompt;
  settings: PipelineSettings;
  /** Unique per process, so leases tell workers apart. */
  workerId: string;
  /** Bound to the component and `workerId` by the caller; the runtime adds no bindings of its own. */
  log: Logger;
}

export function readPipelineSettings(): PipelineSettings {
  const env = getEnv();
  return {
    runDefaults: {
      concurrency: env.PIPELINE_CONCURRENCY,
      batchDeadlineSeconds: env.PIPELINE_BATCH_DEADLINE_SECONDS,
      maxRetries: env.PIPELINE_MAX_RETRIES,
    },
    maxBatchExecutions: env.PIPELINE_MAX_BATCH_EXECUTIONS,
    leaseSeconds: env.PIPELINE_LEASE_SECONDS,
    workerRuns: env.PIPELINE_WORKER_RUNS,
    textCapChars: env.PIPELINE_TEXT_CAP_CHARS,
    eventsPollMs: env.PIPELINE_EVENTS_POLL_MS,
  };
}

export function createWorkerId(): string {
  return `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

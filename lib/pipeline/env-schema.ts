import { z } from "zod";

/** Pipeline variables, merged into the app's environment schema by `lib/env.ts`. */
export const pipelineEnvSchema = z.object({
  /** Batches of one run that call the model at the same time. */
  PIPELINE_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  /** Wall-clock limit for one batch, all its attempts included, in seconds. */
  PIPELINE_BATCH_DEADLINE_SECONDS: z.coerce.number().int().min(1).max(3600).default(180),
  /** Correction retries after a parse or validation failure; a call makes at most this + 1 requests. */
  PIPELINE_MAX_RETRIES: z.coerce.number().int().min(0).max(10).default(3),
  /** Times a batch may be started; a batch interrupted more often is marked `interrupted`. */
  PIPELINE_MAX_BATCH_EXECUTIONS: z.coerce.number().int().min(1).max(10).default(2),
  /** Seconds a worker's claim on a run lasts without a heartbeat; past it, another worker resumes the run. */
  PIPELINE_LEASE_SECONDS: z.coerce.number().int().min(2).max(600).default(30),
  /** Runs one worker process executes at the same time. */
  PIPELINE_WORKER_RUNS: z.coerce.number().int().min(1).max(32).default(2),
  /** Maximum length of each text stored for a model call (messages, raw and repaired output), in characters. */
  PIPELINE_TEXT_CAP_CHARS: z.coerce.number().int().min(1000).max(10_000_000).default(200_000),
  /** Interval at which an event stream checks the database when no notification arrives, in milliseconds. */
  PIPELINE_EVENTS_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
});

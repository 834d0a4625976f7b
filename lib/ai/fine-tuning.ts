import { APICallError } from "@ai-sdk/provider";
import OpenAI, { AzureOpenAI, toFile } from "openai";
import type { FileObject } from "openai/resources/files";
import type { FineTuningJob, FineTuningJobEvent } from "openai/resources/fine-tuning/jobs/jobs";
import type { Logger } from "@/lib/logger";
import { createCallState, type RetryPolicy, runWithRetries, startDeadline } from "./attempts";
import type { CallContext } from "./classify";
import type { KeyedLimiter } from "./concurrency";
import type { ModelNames } from "./config";
import { type ReadyProviderConfig, usesAzureDeploymentUrls } from "./providers";

export type { FileObject, FineTuningJob, FineTuningJobEvent };

/**
 * Files and fine-tuning jobs through the official `openai` SDK, because the AI SDK has neither.
 * Calls go through the gateway's retry policy and typed errors, like model calls.
 */
export interface FineTuningClient {
  /** Upload chat fine-tuning data (JSON lines of `{ messages: [...] }`). */
  uploadTrainingFile(jsonl: string, filename?: string): Promise<FileObject>;
  /**
   * Start a job. `baseModel` defaults to the fast model's name; Azure needs the base model's name
   * here (such as gpt-4o-mini-2024-07-18), not a deployment name.
   */
  createJob(params: {
    trainingFileId: string;
    validationFileId?: string;
    baseModel?: string;
    suffix?: string;
    epochs?: number;
  }): Promise<FineTuningJob>;
  getJob(jobId: string): Promise<FineTuningJob>;
  /** The most recent jobs first. */
  listJobs(limit?: number): Promise<FineTuningJob[]>;
  cancelJob(jobId: string): Promise<FineTuningJob>;
  /** The job's events, most recent first. */
  listJobEvents(jobId: string, limit?: number): Promise<FineTuningJobEvent[]>;
}

export interface FineTuningRuntime {
  provider: ReadyProviderConfig;
  names: ModelNames;
  context: CallContext;
  policy: RetryPolicy;
  limiter: KeyedLimiter;
  log: Logger;
  deadlineMs: number;
}

/** Build an `openai` SDK client for the configured provider, with the SDK's own retries off. */
export function createOpenAIClient(provider: ReadyProviderConfig): OpenAI {
  switch (provider.kind) {
    case "azure": {
      const token = provider.adToken;
      if (usesAzureDeploymentUrls(provider.apiVersion)) {
        return new AzureOpenAI({
          baseURL: `${provider.endpoint}/openai`,
          apiVersion: provider.apiVersion,
          ...(token ? { azureADTokenProvider: async () => token } : { apiKey: provider.apiKey }),
          maxRetries: 0,
        });
      }
      return new OpenAI({
        baseURL: `${provider.endpoint}/openai/v1`,
        apiKey: token ?? provider.apiKey,
        defaultHeaders: token ? undefined : { "api-key": provider.apiKey ?? "" },
        maxRetries: 0,
      });
    }
    case "openai":
      return new OpenAI({
        baseURL: provider.baseURL ?? "https://api.openai.com/v1",
        apiKey: provider.apiKey,
        maxRetries: 0,
      });
    case "compatible":
      return new OpenAI({ baseURL: provider.baseURL, apiKey: provider.apiKey ?? "not-needed", maxRetries: 0 });
    case "simulator":
      return new OpenAI({ baseURL: `${provider.url}/v1`, apiKey: "simulator", maxRetries: 0 });
  }
}

export function createFineTuningClient(runtime: FineTuningRuntime): FineTuningClient {
  const client = createOpenAIClient(runtime.provider);

  /** Run one SDK call under the gateway's deadline, retries and typed errors. */
  async function call<T>(operation: string, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const deadline = startDeadline(runtime.deadlineMs);
    try {
      return await runWithRetries({
        context: { ...runtime.context, model: `${runtime.context.model} (${operation})` },
        policy: runtime.policy,
        state: createCallState(),
        deadline,
        limiter: runtime.limiter,
        limiterKey: `${runtime.provider.kind}:fine-tuning`,
        log: runtime.log,
        run: async (attempt) => {
          try {
            return await run(attempt.signal);
          } catch (error) {
            throw toApiCallError(error);
          } finally {
            attempt.release();
          }
        },
      });
    } finally {
      deadline.dispose();
    }
  }

  return {
    uploadTrainingFile: (jsonl, filename = "training.jsonl") =>
      call("file upload", async (signal) =>
        client.files.create(
          { file: await toFile(Buffer.from(jsonl, "utf8"), filename), purpose: "fine-tune" },
          { signal },
        ),
      ),
    createJob: (params) =>
      call("fine-tuning job", (signal) =>
        client.fineTuning.jobs.create(
          {
            model: params.baseModel ?? runtime.names.fast,
            training_file: params.trainingFileId,
            ...(params.validationFileId ? { validation_file: params.validationFileId } : {}),
            ...(params.suffix ? { suffix: params.suffix } : {}),
            ...(params.epochs ? { hyperparameters: { n_epochs: params.epochs } } : {}),
          },
          { signal },
        ),
      ),
    getJob: (jobId) => call("fine-tuning job", (signal) => client.fineTuning.jobs.retrieve(jobId, { signal })),
    listJobs: (limit = 20) =>
      call("fine-tuning jobs", async (signal) => (await client.fineTuning.jobs.list({ limit }, { signal })).data),
    cancelJob: (jobId) => call("fine-tuning job", (signal) => client.fineTuning.jobs.cancel(jobId, { signal })),
    listJobEvents: (jobId, limit = 50) =>
      call(
        "fine-tuning events",
        async (signal) => (await client.fineTuning.jobs.listEvents(jobId, { limit }, { signal })).data,
      ),
  };
}

/**
 * Express an `openai` SDK HTTP error as the AI SDK's `APICallError`, so that one classifier turns
 * both SDKs' failures into the same `ModelError` kinds. Other errors pass through unchanged.
 */
function toApiCallError(error: unknown): unknown {
  if (!(error instanceof OpenAI.APIError) || error.status === undefined) return error;
  const headers: Record<string, string> = {};
  (error.headers as Headers | undefined)?.forEach((value: string, name: string) => {
    headers[name] = value;
  });
  return new APICallError({
    message: error.message,
    url: "",
    requestBodyValues: undefined,
    statusCode: error.status,
    responseHeaders: headers,
    responseBody: JSON.stringify({ error: error.error }),
    cause: error,
  });
}

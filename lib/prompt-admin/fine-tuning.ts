import { z } from "zod";
import type { Db } from "@/db/client";
import {
  getFineTuningJobById,
  insertFineTuningJob,
  listFineTuningCalls,
  updateFineTuningJob,
} from "@/db/queries/prompt-tests";
import type { FineTuningJobRow, Prompt } from "@/db/schema";
import type { FineTuningJob, Gateway, ModelInfo } from "@/lib/ai";
import type { Actor } from "@/lib/auth/actor";
import { getEnv } from "@/lib/env";
import { AppError, notFound } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { parseModelOutput } from "@/lib/pipeline/repair";
import { validateOutput } from "@/lib/pipeline/validate";
import { outputSchemas } from "@/lib/tasks/schemas";
import { type FineTuningValidation, validateFineTuningFile } from "./fine-tuning-validator";

/**
 * Fine-tuning data from recorded production calls, in the chat format (one `{ "messages": [system,
 * user, assistant] }` object per line), and fine-tuning jobs on the configured provider through
 * the gateway's `openai` SDK client.
 */

export const exportRequestSchema = z
  .object({
    from: z.iso.date(),
    /** Inclusive: calls made on this day are exported. */
    to: z.iso.date(),
    /** Only calls whose batch had at least one proposal a PM accepted. */
    acceptedOnly: z
      .union([z.boolean(), z.enum(["true", "false"]).transform((value) => value === "true")])
      .default(false),
  })
  .refine((value) => value.from <= value.to, {
    message: "the start date must not be after the end date",
    path: ["to"],
  });
export type ExportRequest = z.infer<typeof exportRequestSchema>;

/** Most examples one export returns. */
const MAX_EXPORT_EXAMPLES = 50_000;

export interface FineTuningExport {
  jsonl: string;
  exampleCount: number;
  /** Calls left out: texts cut to the storage cap, or an answer that no longer validates. */
  skipped: { capped: number; invalid: number };
}

export async function exportFineTuningData(
  db: Db,
  params: { prompt: Prompt; request: ExportRequest },
): Promise<FineTuningExport> {
  const from = new Date(`${params.request.from}T00:00:00Z`);
  const to = new Date(new Date(`${params.request.to}T00:00:00Z`).getTime() + 24 * 3600 * 1000);
  const calls = await listFineTuningCalls(db, {
    promptKey: params.prompt.key,
    from,
    to,
    acceptedOnly: params.request.acceptedOnly,
    limit: MAX_EXPORT_EXAMPLES,
  });

  const lines: string[] = [];
  const skipped = { capped: 0, invalid: 0 };
  for (const call of calls) {
    // A correction request carries the failed answer; the example keeps the original two messages.
    const [system, user] = call.messages;
    const cut = ["messages[0]", "messages[1]", "rawText", "repairedText"].some((field) => field in call.capped);
    if (cut || system?.role !== "system" || user?.role !== "user") {
      skipped.capped++;
      continue;
    }
    const answer = assistantContent(params.prompt, call.rawText ?? "");
    if (answer === null) {
      skipped.invalid++;
      continue;
    }
    lines.push(JSON.stringify({ messages: [system, user, { role: "assistant", content: answer }] }));
  }
  return { jsonl: lines.length > 0 ? `${lines.join("\n")}\n` : "", exampleCount: lines.length, skipped };
}

/** The answer as the model should learn it: the validated JSON, compact, or the free text as it was. */
function assistantContent(prompt: Prompt, rawText: string): string | null {
  if (!prompt.outputSchema) return rawText.trim() ? rawText : null;
  const parsed = parseModelOutput(rawText);
  if (!parsed.ok) return null;
  const validation = validateOutput(outputSchemas[prompt.outputSchema] as z.ZodType, parsed.value);
  return validation.ok ? JSON.stringify(validation.data) : null;
}

export function validateFineTuningText(prompt: Prompt, text: string, maxExampleTokens?: number): FineTuningValidation {
  const env = getEnv();
  return validateFineTuningFile(text, {
    schema: prompt.outputSchema ? (outputSchemas[prompt.outputSchema] as z.ZodType) : null,
    maxExampleTokens: maxExampleTokens ?? env.FINE_TUNING_MAX_EXAMPLE_TOKENS,
    maxTotalTokens: env.FINE_TUNING_MAX_TOTAL_TOKENS ?? null,
  });
}

/** Providers whose API has files and fine-tuning jobs; the simulator implements both for tests. */
export function isFineTuningAvailable(modelInfo: ModelInfo): boolean {
  return modelInfo.provider === "openai" || modelInfo.provider === "azure" || modelInfo.provider === "simulator";
}

export const startJobRequestSchema = z.object({
  jsonl: z
    .string()
    .min(1, "the file is empty")
    .max(50 * 1024 * 1024),
  /** Base model; defaults to FINE_TUNING_BASE_MODEL, else the fast model's name. */
  baseModel: z.string().trim().min(1).max(200).optional(),
  suffix: z
    .string()
    .trim()
    .regex(/^[a-z0-9-]{1,18}$/, "expected up to 18 lower-case letters, digits or hyphens")
    .optional(),
});
export type StartJobRequest = z.infer<typeof startJobRequestSchema>;

/** Validate the file, upload it and start a job; an invalid file is a 400 with the validator's report. */
export async function startFineTuningJob(
  db: Db,
  params: { actor: Actor; prompt: Prompt; request: StartJobRequest; gateway: Gateway },
): Promise<FineTuningJobRow> {
  const modelInfo = params.gateway.getModelInfo();
  if (!isFineTuningAvailable(modelInfo)) {
    throw new AppError(
      409,
      "fine_tuning_unavailable",
      `Fine-tuning needs Azure OpenAI or OpenAI; the configured provider is ${modelInfo.provider}.`,
    );
  }
  const validation = validateFineTuningText(params.prompt, params.request.jsonl);
  if (!validation.ok) {
    throw new AppError(
      400,
      "invalid_training_file",
      `The training file has ${validation.issueCount} problem(s); fix them and upload again.`,
      {
        field: "jsonl",
        validation,
      },
    );
  }

  const client = await params.gateway.getFineTuningClient();
  const file = await client.uploadTrainingFile(params.request.jsonl, `${params.prompt.key}.jsonl`);
  const baseModel = params.request.baseModel ?? getEnv().FINE_TUNING_BASE_MODEL;
  const job = await client.createJob({ trainingFileId: file.id, baseModel, suffix: params.request.suffix });
  logger.info(
    { promptKey: params.prompt.key, jobId: job.id, fileId: file.id, examples: validation.exampleCount },
    "fine-tuning job started",
  );

  return insertFineTuningJob(db, {
    promptKey: params.prompt.key,
    provider: modelInfo.provider,
    fileId: file.id,
    providerJobId: job.id,
    baseModel: job.model,
    status: job.status,
    fineTunedModel: job.fine_tuned_model ?? null,
    exampleCount: validation.exampleCount,
    fileTokens: validation.totalTokens,
    error: job.error?.message ?? null,
    createdBy: params.actor.userId,
  });
}

const finishedStatuses = new Set(["succeeded", "failed", "cancelled"]);

/** Fetch the job's status from the provider unless it already finished, and store it. */
export async function refreshFineTuningJob(
  db: Db,
  params: { promptKey: string; jobId: string; gateway: Gateway },
): Promise<FineTuningJobRow> {
  const row = z.uuid().safeParse(params.jobId).success
    ? await getFineTuningJobById(db, { id: params.jobId })
    : undefined;
  if (!row || row.promptKey !== params.promptKey) throw notFound("fine_tuning_job");
  if (finishedStatuses.has(row.status)) return row;

  const client = await params.gateway.getFineTuningClient();
  const job: FineTuningJob = await client.getJob(row.providerJobId);
  const updated = await updateFineTuningJob(db, {
    id: row.id,
    status: job.status,
    fineTunedModel: job.fine_tuned_model ?? null,
    error: job.error?.message ?? null,
  });
  return updated ?? row;
}

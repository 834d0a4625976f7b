import type { IncomingMessage, ServerResponse } from "node:http";
import { sendJson } from "./http";
import { countTokens } from "./text";

/**
 * OpenAI's files and fine-tuning jobs API, kept in memory: enough for the app's fine-tuning export
 * to upload a chat JSONL file, start a job and follow it to a fine-tuned model name. Jobs move from
 * `validating_files` through `queued` and `running` to `succeeded`, one step per `stepMs`, and fail
 * when the training file is not valid chat fine-tuning data.
 */

interface StoredFile {
  id: string;
  object: "file";
  bytes: number;
  created_at: number;
  filename: string;
  purpose: string;
  status: "processed";
  content: Buffer;
}

interface StoredJob {
  id: string;
  model: string;
  suffix?: string;
  trainingFile: string;
  validationFile: string | null;
  createdAtMs: number;
  cancelledAtMs?: number;
  /** Set when the training file is invalid; the job then fails at the end of validation. */
  validationError?: string;
  trainedTokens: number;
  epochs: number;
}

type JobStatus = "validating_files" | "queued" | "running" | "succeeded" | "failed" | "cancelled";

const MAX_FILE_BYTES = 50 * 1024 * 1024;
const DEFAULT_EPOCHS = 3;

/** `/v1/...` (OpenAI), `/openai/...` (Azure, with api-version) and `/openai/v1/...` (Azure v1). */
const routePattern =
  /^\/(?:v1|openai\/v1|openai)\/(files|fine_tuning\/jobs)(?:\/([^/]+))?(?:\/(content|cancel|events))?$/;

export function isFineTuningPath(pathname: string): boolean {
  return routePattern.test(pathname);
}

export class FineTuningStore {
  private readonly files = new Map<string, StoredFile>();
  private readonly jobs = new Map<string, StoredJob>();
  private nextId = 1;

  constructor(
    private readonly stepMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Respond to a files or fine-tuning request; the caller has checked credentials. */
  async handle(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    const match = url.pathname.match(routePattern);
    const [, collection, id, action] = match ?? [];
    const method = request.method ?? "GET";

    if (collection === "files") {
      if (!id && method === "POST") return this.createFile(request, response, url);
      if (!id && method === "GET") return sendList(response, [...this.files.values()].map(describeFile));
      const file = id ? this.files.get(id) : undefined;
      if (!file) return sendError(response, 404, `File ${id} not found.`, "file_not_found");
      if (method === "GET" && action === "content") return sendRaw(response, file.content);
      if (method === "GET" && !action) return sendJson(response, 200, describeFile(file));
      if (method === "DELETE" && !action) {
        this.files.delete(file.id);
        return sendJson(response, 200, { id: file.id, object: "file", deleted: true });
      }
    }

    if (collection === "fine_tuning/jobs") {
      if (!id && method === "POST") return this.createJob(request, response);
      if (!id && method === "GET") {
        const jobs = [...this.jobs.values()].reverse().map((job) => this.describeJob(job));
        return sendList(response, jobs);
      }
      const job = id ? this.jobs.get(id) : undefined;
      if (!job) return sendError(response, 404, `Fine-tuning job ${id} not found.`, "fine_tuning_job_not_found");
      if (method === "GET" && !action) return sendJson(response, 200, this.describeJob(job));
      if (method === "GET" && action === "events") return sendList(response, this.describeEvents(job));
      if (method === "POST" && action === "cancel") return this.cancelJob(job, response);
    }

    return sendError(response, 404, `Route ${method} ${url.pathname} not found.`, "not_found");
  }

  private async createFile(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    const body = await readBody(request);
    if (body.length > MAX_FILE_BYTES) return sendError(response, 413, "File is larger than 50 MB.", "file_too_large");

    let form: FormData;
    try {
      form = await new Request(url, {
        method: "POST",
        headers: { "content-type": request.headers["content-type"] ?? "" },
        body: new Uint8Array(body),
      }).formData();
    } catch {
      return sendError(response, 400, "Expected a multipart/form-data body with `file` and `purpose`.", "invalid_body");
    }
    const file = form.get("file");
    const purpose = form.get("purpose");
    if (!(file instanceof Blob) || typeof purpose !== "string") {
      return sendError(response, 400, "Missing `file` or `purpose` in the form data.", "invalid_body");
    }

    const stored: StoredFile = {
      id: `file-sim-${this.nextId++}`,
      object: "file",
      bytes: file.size,
      created_at: Math.floor(this.now() / 1000),
      filename: file instanceof File ? file.name : "upload.jsonl",
      purpose,
      status: "processed",
      content: Buffer.from(await file.arrayBuffer()),
    };
    this.files.set(stored.id, stored);
    return sendJson(response, 200, describeFile(stored));
  }

  private async createJob(request: IncomingMessage, response: ServerResponse): Promise<void> {
    let body: Record<string, unknown>;
    try {
      body = JSON.parse((await readBody(request)).toString("utf8")) as Record<string, unknown>;
    } catch {
      return sendError(response, 400, "Request body is not valid JSON.", "invalid_body");
    }
    const model = typeof body.model === "string" ? body.model : "";
    const trainingFile = typeof body.training_file === "string" ? this.files.get(body.training_file) : undefined;
    if (!model) return sendError(response, 400, "Missing `model`.", "invalid_request", "model");
    if (!trainingFile) {
      return sendError(
        response,
        400,
        `Training file ${String(body.training_file)} not found.`,
        "invalid_request",
        "training_file",
      );
    }

    const validation = validateChatTrainingFile(trainingFile.content.toString("utf8"));
    const hyperparameters = body.hyperparameters as { n_epochs?: unknown } | undefined;
    const job: StoredJob = {
      id: `ftjob-sim-${this.nextId++}`,
      model,
      suffix: typeof body.suffix === "string" ? body.suffix : undefined,
      trainingFile: trainingFile.id,
      validationFile: typeof body.validation_file === "string" ? body.validation_file : null,
      createdAtMs: this.now(),
      validationError: validation.error,
      trainedTokens: validation.tokens,
      epochs: typeof hyperparameters?.n_epochs === "number" ? hyperparameters.n_epochs : DEFAULT_EPOCHS,
    };
    this.jobs.set(job.id, job);
    return sendJson(response, 200, this.describeJob(job));
  }

  private cancelJob(job: StoredJob, response: ServerResponse): void {
    const status = this.statusOf(job);
    if (status === "succeeded" || status === "failed" || status === "cancelled") {
      sendError(response, 400, `Job ${job.id} is already ${status} and cannot be cancelled.`, "invalid_request");
      return;
    }
    job.cancelledAtMs = this.now();
    sendJson(response, 200, this.describeJob(job));
  }

  private statusOf(job: StoredJob): JobStatus {
    if (job.cancelledAtMs !== undefined) return "cancelled";
    const steps = Math.floor((this.now() - job.createdAtMs) / Math.max(1, this.stepMs));
    if (steps < 1) return "validating_files";
    if (job.validationError) return "failed";
    if (steps < 2) return "queued";
    if (steps < 3) return "running";
    return "succeeded";
  }

  private describeJob(job: StoredJob) {
    const status = this.statusOf(job);
    const finishedAtMs =
      status === "succeeded"
        ? job.createdAtMs + 3 * this.stepMs
        : status === "failed"
          ? job.createdAtMs + this.stepMs
          : null;
    const modelName = `ft:${job.model}:rankwise${job.suffix ? `:${job.suffix}` : ""}:${job.id.replace("ftjob-sim-", "sim")}`;
    return {
      id: job.id,
      object: "fine_tuning.job",
      created_at: Math.floor(job.createdAtMs / 1000),
      error:
        status === "failed"
          ? { code: "invalid_training_file", message: job.validationError, param: "training_file" }
          : null,
      fine_tuned_model: status === "succeeded" ? modelName : null,
      finished_at: finishedAtMs === null ? null : Math.floor(finishedAtMs / 1000),
      hyperparameters: { n_epochs: job.epochs, batch_size: 1, learning_rate_multiplier: 1 },
      model: job.model,
      organization_id: "org-simulator",
      result_files: [],
      seed: 42,
      status,
      trained_tokens: status === "succeeded" ? job.trainedTokens * job.epochs : null,
      training_file: job.trainingFile,
      validation_file: job.validationFile,
    };
  }

  private describeEvents(job: StoredJob) {
    const status = this.statusOf(job);
    const reached: Array<[string, string]> = [["info", "Validating training file"]];
    if (status === "failed") reached.push(["error", `Training file is invalid: ${job.validationError}`]);
    if (["queued", "running", "succeeded"].includes(status)) reached.push(["info", "Job queued"]);
    if (["running", "succeeded"].includes(status)) reached.push(["info", "Fine-tuning started"]);
    if (status === "succeeded") reached.push(["info", "Job succeeded"]);
    if (status === "cancelled") reached.push(["info", "Job cancelled"]);
    return reached
      .map(([level, message], index) => ({
        id: `ftevent-${job.id}-${index}`,
        object: "fine_tuning.job.event",
        created_at: Math.floor(job.createdAtMs / 1000) + index,
        level,
        message,
        type: "message",
      }))
      .reverse();
  }
}

/**
 * Check chat fine-tuning data: one JSON object per line with a `messages` array of
 * `{ role, content }` and at least one assistant message. Returns the first problem and the
 * token count of the valid lines.
 */
export function validateChatTrainingFile(text: string): { error?: string; tokens: number } {
  const lines = text.split(/\r?\n/).filter((line) => line.trim());
  if (lines.length === 0) return { error: "the file has no examples", tokens: 0 };

  let tokens = 0;
  for (const [index, line] of lines.entries()) {
    let example: { messages?: unknown };
    try {
      example = JSON.parse(line) as { messages?: unknown };
    } catch {
      return { error: `line ${index + 1} is not valid JSON`, tokens };
    }
    const messages = example.messages;
    if (!Array.isArray(messages) || messages.length === 0) {
      return { error: `line ${index + 1} has no "messages" array`, tokens };
    }
    for (const message of messages as Array<{ role?: unknown; content?: unknown }>) {
      if (!["system", "user", "assistant", "tool"].includes(String(message?.role))) {
        return { error: `line ${index + 1} has a message with an invalid role`, tokens };
      }
      if (typeof message.content !== "string")
        return { error: `line ${index + 1} has a message without text content`, tokens };
      tokens += countTokens(message.content);
    }
    if (!messages.some((message: { role?: unknown }) => message?.role === "assistant")) {
      return { error: `line ${index + 1} has no assistant message`, tokens };
    }
  }
  return { tokens };
}

function describeFile(file: StoredFile) {
  const { content: _content, ...description } = file;
  return description;
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_FILE_BYTES) break;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function sendList(response: ServerResponse, data: unknown[]): void {
  sendJson(response, 200, { object: "list", data, has_more: false });
}

function sendRaw(response: ServerResponse, content: Buffer): void {
  response.writeHead(200, { "content-type": "application/octet-stream" });
  response.end(content);
}

function sendError(
  response: ServerResponse,
  status: number,
  message: string,
  code: string,
  param: string | null = null,
) {
  sendJson(response, status, { error: { message, type: "invalid_request_error", param, code } });
}

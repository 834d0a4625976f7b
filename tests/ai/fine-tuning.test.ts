import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type FineTuningClient, type FineTuningJob, ModelError } from "@/lib/ai";
import { type SimulatorHandle, startSimulator } from "@/lib/ai/simulator";
import { createAzureGateway, createCompatibleGateway, gapsBetweenRequests } from "./support";

/** Files and fine-tuning jobs through the gateway's `openai` SDK client against the simulator. */

let simulator: SimulatorHandle;

const example = (question: string, answer: string) =>
  JSON.stringify({
    messages: [
      { role: "system", content: "You propose backlog inputs as JSON." },
      { role: "user", content: question },
      { role: "assistant", content: answer },
    ],
  });
const trainingData = [
  example("Reach of A01?", '{"value":900}'),
  example("Impact of A02?", '{"value":2}'),
  example("Effort of A03?", '{"value":3}'),
].join("\n");

beforeAll(async () => {
  simulator = await startSimulator({ ttftMs: 0, tokensPerSecond: 0, fineTuningStepMs: 30 });
});

afterAll(async () => {
  await simulator.close();
});

beforeEach(() => {
  simulator.setFaultRules([]);
  simulator.clearRequestLog();
});

/** Poll the job until it reaches a final state, or fail after five seconds. */
async function waitForFinalJob(client: FineTuningClient, jobId: string): Promise<FineTuningJob> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const job = await client.getJob(jobId);
    if (["succeeded", "failed", "cancelled"].includes(job.status)) return job;
    if (Date.now() > deadline) throw new Error(`job ${jobId} is still ${job.status} after 5 s`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("fine-tuning through the compatible path", () => {
  it("uploads training data and fine-tunes a model", async () => {
    const client = await createCompatibleGateway(simulator).getFineTuningClient();

    const file = await client.uploadTrainingFile(trainingData, "proposals.jsonl");
    const created = await client.createJob({ trainingFileId: file.id, suffix: "proposals" });
    const finished = await waitForFinalJob(client, created.id);

    expect(file.purpose).toBe("fine-tune");
    expect(file.bytes).toBe(Buffer.byteLength(trainingData));
    expect(created.status).toBe("validating_files");
    expect(created.model).toBe("sim-fast");
    expect(finished.status).toBe("succeeded");
    expect(finished.fine_tuned_model).toMatch(/^ft:sim-fast:rankwise:proposals:/);
    expect(finished.trained_tokens).toBeGreaterThan(0);
  });

  it("fails a job whose file has no assistant message", async () => {
    const client = await createCompatibleGateway(simulator).getFineTuningClient();
    const invalid = JSON.stringify({ messages: [{ role: "user", content: "hi" }] });

    const file = await client.uploadTrainingFile(invalid);
    const created = await client.createJob({ trainingFileId: file.id });
    const finished = await waitForFinalJob(client, created.id);

    expect(finished.status).toBe("failed");
    expect(finished.error?.message).toContain("line 1 has no assistant message");
  });

  it("cancels a running job and lists its events", async () => {
    const client = await createCompatibleGateway(simulator).getFineTuningClient();
    const file = await client.uploadTrainingFile(trainingData);
    const created = await client.createJob({ trainingFileId: file.id });

    const cancelled = await client.cancelJob(created.id);
    const events = await client.listJobEvents(created.id);
    const jobs = await client.listJobs();

    expect(cancelled.status).toBe("cancelled");
    expect(events[0]?.message).toBe("Job cancelled");
    expect(jobs.some((job) => job.id === created.id)).toBe(true);
  });

  it("types an unknown training file as a bad request", async () => {
    const client = await createCompatibleGateway(simulator).getFineTuningClient();

    const error = await client.createJob({ trainingFileId: "file-missing" }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ModelError);
    expect((error as ModelError).kind).toBe("bad_request");
    expect((error as ModelError).retryable).toBe(false);
  });

  it("retries a rate-limited upload after the requested wait", async () => {
    simulator.setFaultRules([{ fault: "rate_limit_retry_after_ms:80", times: 1 }]);
    const client = await createCompatibleGateway(simulator).getFineTuningClient();

    const file = await client.uploadTrainingFile(trainingData);

    expect(file.id).toMatch(/^file-sim-/);
    expect(simulator.requestLog.filter((record) => record.kind === "fine_tuning")).toHaveLength(2);
    expect(gapsBetweenRequests(simulator.requestLog)[0]).toBeGreaterThanOrEqual(80);
  });
});

describe("fine-tuning through Azure routes", () => {
  it("uses /openai/files with api-version on dated versions", async () => {
    const client = await createAzureGateway(simulator, "2024-10-21").getFineTuningClient();

    const file = await client.uploadTrainingFile(trainingData);
    const job = await client.createJob({ trainingFileId: file.id, baseModel: "gpt-4o-mini-2024-07-18" });

    expect(job.model).toBe("gpt-4o-mini-2024-07-18");
    expect(simulator.requestLog[0]?.path).toBe("/openai/files?api-version=2024-10-21");
    expect(simulator.requestLog[1]?.path).toBe("/openai/fine_tuning/jobs?api-version=2024-10-21");
  });

  it("uses /openai/v1 without an api-version", async () => {
    const client = await createAzureGateway(simulator, undefined).getFineTuningClient();

    await client.uploadTrainingFile(trainingData);

    expect(simulator.requestLog[0]?.path).toBe("/openai/v1/files");
  });
});

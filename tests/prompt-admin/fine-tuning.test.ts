import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { z } from "zod";
import type { DatabaseHandle } from "@/db/client";
import { getRunById } from "@/db/queries/runs";
import type { Gateway } from "@/lib/ai";
import type { Actor } from "@/lib/auth/actor";
import type { PipelineRuntime } from "@/lib/pipeline/runtime";
import { startRun } from "@/lib/pipeline/service";
import { registerTasks, type TaskDefinition } from "@/lib/pipeline/task";
import type { FineTuningValidation } from "@/lib/prompt-admin/fine-tuning-validator";
import { describeEachEngine } from "@/lib/testing/database";
import {
  BASE_URL,
  createPromptAdminHarness,
  jsonRequest,
  type PromptAdminHarness,
  routeContext,
  waitFor,
} from "./harness";

const current = vi.hoisted(() => ({
  handle: undefined as DatabaseHandle | undefined,
  gateway: undefined as Gateway | undefined,
  runtime: undefined as PipelineRuntime | undefined,
}));
vi.mock("@/db", () => ({ getDatabase: async () => current.handle, getDb: async () => current.handle?.db }));
vi.mock("@/lib/ai", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/lib/ai")>()),
  getGateway: () => current.gateway,
  getModelInfo: () => current.gateway?.getModelInfo(),
}));
vi.mock("@/lib/pipeline/app-runtime", () => ({ getPipelineRuntime: async () => current.runtime }));

const exportRoute = await import("@/app/api/admin/prompts/[key]/fine-tuning/export/route");
const validate = await import("@/app/api/admin/prompts/[key]/fine-tuning/validate/route");
const jobs = await import("@/app/api/admin/prompts/[key]/fine-tuning/jobs/route");
const job = await import("@/app/api/admin/prompts/[key]/fine-tuning/jobs/[jobId]/route");

const KEY = "summarizer";
const THEMES = [
  "Export",
  "Permissions",
  "Alerts",
  "Embedding",
  "Filters",
  "Charts",
  "Sharing",
  "Mobile",
  "Search",
  "Admin",
  "SQL",
  "Caching",
];

/** A production-like task on the published `summarizer` prompt: one batch per theme. */
const summaryTask: TaskDefinition<{ themes: string[] }, { theme: string }, unknown> = {
  kind: "fine_tuning_test_summaries",
  promptKey: KEY,
  outputSchemaName: "feedback_summary",
  inputSchema: z.object({ themes: z.array(z.string()).min(1) }),
  buildBatches: async (input) => input.themes.map((theme) => ({ label: theme, input: { theme } })),
  buildVariables: async (batch) => ({
    theme: batch.theme,
    feedback: [
      { id: "AF101", text: `Customers ask for better ${batch.theme.toLowerCase()} in dashboards.` },
      { id: "AF102", text: `Two enterprise accounts mention ${batch.theme.toLowerCase()} as a blocker.` },
    ],
  }),
};

function dayOffset(days: number): string {
  return new Date(Date.now() + days * 24 * 3600 * 1000).toISOString().slice(0, 10);
}

describeEachEngine("fine-tuning export, validation and jobs", (engine) => {
  let harness: PromptAdminHarness;
  let editor: Record<string, string>;
  let admin: Record<string, string>;
  let exported: { jsonl: string; exampleCount: number; validation: FineTuningValidation };

  beforeAll(async () => {
    harness = await createPromptAdminHarness(engine);
    current.handle = harness.handle;
    current.gateway = harness.gateway;
    current.runtime = harness.runtime;
    editor = harness.users.editor.headers;
    admin = harness.users.admin.headers;

    registerTasks(summaryTask);
    const actor: Actor = {
      userId: harness.users.member.userId,
      email: "m@example.test",
      name: "Member",
      role: "member",
      locale: null,
      via: "token",
    };
    const run = await startRun(harness.runtime, {
      actor,
      workspaceId: harness.workspaceId,
      kind: summaryTask.kind,
      input: { themes: THEMES },
      language: "en",
    });
    await waitFor(async () => {
      const row = await getRunById(harness.handle.db, { runId: run.id });
      return row?.status === "completed" ? row : undefined;
    }, 60_000);
  }, 90_000);

  afterAll(async () => {
    await harness?.close();
  });

  const exportUrl = (query: string) =>
    `${BASE_URL}/${KEY}/fine-tuning/export?from=${dayOffset(-1)}&to=${dayOffset(1)}${query}`;

  it("exports one example per validated call", async () => {
    const response = await exportRoute.GET(jsonRequest(exportUrl(""), "GET", editor), routeContext({ key: KEY }));
    exported = await response.json();
    const examples = exported.jsonl
      .split("\n")
      .filter((line) => line.length > 0)
      .map((line) => JSON.parse(line) as { messages: Array<{ role: string; content: string }> });
    // Batches run at once, so the calls (ordered by start time) may come in any theme order.
    const themes = examples.map((example) => JSON.parse(example.messages[2]?.content ?? "{}").theme as string);

    expect(response.status).toBe(200);
    expect(exported.exampleCount).toBe(THEMES.length);
    expect(examples[0]?.messages.map((message) => message.role)).toEqual(["system", "user", "assistant"]);
    expect([...themes].sort()).toEqual([...THEMES].sort());
  });

  it("validates its own export", () => {
    expect(exported.validation.ok).toBe(true);
    expect(exported.validation.exampleCount).toBe(THEMES.length);
    expect(exported.validation.totalTokens).toBeGreaterThan(THEMES.length * 100);
  });

  it("downloads the export as a JSONL file", async () => {
    const response = await exportRoute.GET(
      jsonRequest(exportUrl("&format=jsonl"), "GET", editor),
      routeContext({ key: KEY }),
    );
    const text = await response.text();

    expect(response.headers.get("content-type")).toContain("application/jsonl");
    expect(response.headers.get("content-disposition")).toContain(`${KEY}-`);
    expect(text).toBe(exported.jsonl);
  });

  it("exports nothing when only accepted calls are asked for", async () => {
    const response = await exportRoute.GET(
      jsonRequest(exportUrl("&acceptedOnly=true"), "GET", editor),
      routeContext({ key: KEY }),
    );

    expect((await response.json()).exampleCount).toBe(0);
  });

  it("exports nothing outside the date range", async () => {
    const url = `${BASE_URL}/${KEY}/fine-tuning/export?from=2020-01-01&to=2020-01-31`;
    const response = await exportRoute.GET(jsonRequest(url, "GET", editor), routeContext({ key: KEY }));

    expect((await response.json()).exampleCount).toBe(0);
  });

  it("names the bad lines of an edited file", async () => {
    const lines = exported.jsonl.trim().split("\n");
    lines[2] = "not json";
    lines[5] = (lines[5] ?? "").replace('"role":"user"', '"role":"tool"');
    const response = await validate.POST(
      jsonRequest(`${BASE_URL}/${KEY}/fine-tuning/validate`, "POST", editor, { jsonl: lines.join("\n") }),
      routeContext({ key: KEY }),
    );
    const body: FineTuningValidation = await response.json();

    expect(body.ok).toBe(false);
    expect(body.errors.map((error) => [error.line, error.code])).toEqual([
      [3, "invalid_json"],
      [6, "invalid_role"],
    ]);
  });

  it("uploads the file, starts a job and follows it to a fine-tuned model", async () => {
    const response = await jobs.POST(
      jsonRequest(`${BASE_URL}/${KEY}/fine-tuning/jobs`, "POST", admin, { jsonl: exported.jsonl, suffix: "summaries" }),
      routeContext({ key: KEY }),
    );
    const started = (await response.json()).job;
    const paths = harness.simulator.requestLog.map((record) => `${record.method} ${record.path}`);

    expect(response.status).toBe(201);
    expect(started.status).toBe("validating_files");
    expect(started.exampleCount).toBe(THEMES.length);
    expect(paths).toContain("POST /v1/files");
    expect(paths).toContain("POST /v1/fine_tuning/jobs");

    const finished = await waitFor(async () => {
      const poll = await job.GET(
        jsonRequest(`${BASE_URL}/${KEY}/fine-tuning/jobs/${started.id}`, "GET", admin),
        routeContext({ key: KEY, jobId: started.id }),
      );
      const body = (await poll.json()).job;
      return body.status === "succeeded" ? body : undefined;
    }, 10_000);

    expect(finished.fineTunedModel).toContain("summaries");
    expect(finished.error).toBeNull();
  });

  it("lists the job with the provider's availability", async () => {
    const response = await jobs.GET(
      jsonRequest(`${BASE_URL}/${KEY}/fine-tuning/jobs`, "GET", admin),
      routeContext({ key: KEY }),
    );
    const body = await response.json();

    expect(body.available).toBe(true);
    expect(body.jobs).toHaveLength(1);
    expect(body.jobs[0].status).toBe("succeeded");
  });

  it("refuses to upload an invalid file, with the validator's report", async () => {
    const uploadsBefore = harness.simulator.requestLog.filter((record) => record.path === "/v1/files").length;
    const response = await jobs.POST(
      jsonRequest(`${BASE_URL}/${KEY}/fine-tuning/jobs`, "POST", admin, { jsonl: "{}\n" }),
      routeContext({ key: KEY }),
    );
    const body = await response.json();
    const uploadsAfter = harness.simulator.requestLog.filter((record) => record.path === "/v1/files").length;

    expect(response.status).toBe(400);
    expect(body.error.code).toBe("invalid_training_file");
    expect(body.error.details.validation.errors[0].line).toBe(1);
    expect(uploadsAfter).toBe(uploadsBefore);
  });
});

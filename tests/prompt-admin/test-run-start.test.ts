import { eq } from "drizzle-orm";
import { createTranslator } from "next-intl";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { insertTestRun, listTestRuns } from "@/db/queries/prompt-tests";
import { getPromptByKey } from "@/db/queries/prompts";
import { type PromptTestTarget, promptTestRun } from "@/db/schema";
import type { Gateway } from "@/lib/ai";
import { localizeServerError } from "@/lib/i18n/server-errors";
import type { PipelineRuntime } from "@/lib/pipeline/runtime";
import type { TestMatrix } from "@/lib/prompt-admin/test-matrix";
import { OPEN_TEST_RUN_MAX_AGE_MS, resolveTargets } from "@/lib/prompt-admin/test-runs";
import { describeEachEngine } from "@/lib/testing/database";
import en from "@/messages/en.json";
import fr from "@/messages/fr.json";
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

const testRuns = await import("@/app/api/admin/prompts/[key]/test-runs/route");
const matrix = await import("@/app/api/admin/prompts/[key]/test-runs/[testRunId]/route");

/** Free-text prompt: its test runs execute in the process, without a pipeline run. */
const FREE_TEXT_KEY = "explainer";
/** Prompt with an output schema: its test runs are pipeline runs. */
const SCHEMA_KEY = "prioritizer";

// biome-ignore lint/suspicious/noExplicitAny: next-intl types undeclared messages this way.
type UntypedMessages = Record<string, any>;

interface ErrorBody {
  error: {
    code: string;
    message: string;
    details: { reason?: string; field?: string; params?: Record<string, unknown>; testRunId?: string };
  };
}

describeEachEngine("prompt test run start", (engine) => {
  let harness: PromptAdminHarness;
  let editor: Record<string, string>;

  beforeAll(async () => {
    harness = await createPromptAdminHarness(engine);
    current.handle = harness.handle;
    current.gateway = harness.gateway;
    current.runtime = harness.runtime;
    editor = harness.users.editor.headers;
  }, 60_000);

  afterAll(async () => {
    await harness?.close();
  });

  function startRun(key: string, body: unknown = {}) {
    return testRuns.POST(jsonRequest(`${BASE_URL}/${key}/test-runs`, "POST", editor, body), routeContext({ key }));
  }

  async function readMatrix(key: string, testRunId: string): Promise<TestMatrix> {
    const response = await matrix.GET(
      jsonRequest(`${BASE_URL}/${key}/test-runs/${testRunId}`, "GET", editor),
      routeContext({ key, testRunId }),
    );
    return response.json();
  }

  function waitUntilFinished(key: string, testRunId: string) {
    return waitFor(async () => {
      const view = await readMatrix(key, testRunId);
      return view.totals.pending === 0 && ["completed", "partial", "failed"].includes(view.status) ? view : undefined;
    }, 60_000);
  }

  async function defaultTargets(key: string): Promise<PromptTestTarget[]> {
    const prompt = await getPromptByKey(harness.handle.db, { key });
    if (!prompt) throw new Error(`prompt ${key} is not imported`);
    return resolveTargets(harness.handle.db, prompt, []);
  }

  async function insertOpenRun(key: string, targets: PromptTestTarget[]) {
    return insertTestRun(harness.handle.db, {
      promptKey: key,
      mode: "matrix",
      targets,
      createdBy: harness.users.editor.userId,
    });
  }

  async function removeRun(id: string) {
    await harness.handle.db.delete(promptTestRun).where(eq(promptTestRun.id, id));
  }

  it("returns 409 during a free-text run", async () => {
    const open = await insertOpenRun(FREE_TEXT_KEY, await defaultTargets(FREE_TEXT_KEY));

    const response = await startRun(FREE_TEXT_KEY);
    const body: ErrorBody = await response.json();
    await removeRun(open.id);

    expect(response.status).toBe(409);
    expect(body.error.code).toBe("conflict");
    expect(body.error.details.reason).toBe("prompt_test_run_active");
    expect(body.error.details.params).toEqual({ key: FREE_TEXT_KEY, status: "running" });
    expect(body.error.details.testRunId).toBe(open.id);
    expect(body.error.message).toContain("still running");
  });

  it("rejects two targets for one language", async () => {
    const [english] = await defaultTargets(FREE_TEXT_KEY);
    const target = { language: "en", versionId: english?.versionId ?? null };

    const response = await startRun(FREE_TEXT_KEY, { targets: [target, target] });
    const body: ErrorBody = await response.json();

    expect(response.status).toBe(400);
    expect(body.error.details.field).toBe("targets");
    expect(body.error.message).toContain("names en more than once");
  });

  it("ignores an unfinished run on other targets", async () => {
    const [english] = await defaultTargets(FREE_TEXT_KEY);
    if (!english) throw new Error("explainer has no version");
    const open = await insertOpenRun(FREE_TEXT_KEY, [english]);

    const response = await startRun(FREE_TEXT_KEY);
    const { testRun } = await response.json();
    await waitUntilFinished(FREE_TEXT_KEY, testRun.id);
    await removeRun(open.id);

    expect(response.status).toBe(202);
  });

  it("ignores a free-text run older than the bound", async () => {
    const open = await insertOpenRun(FREE_TEXT_KEY, await defaultTargets(FREE_TEXT_KEY));
    const stale = new Date(Date.now() - OPEN_TEST_RUN_MAX_AGE_MS - 60_000);
    await harness.handle.db.update(promptTestRun).set({ createdAt: stale }).where(eq(promptTestRun.id, open.id));

    const response = await startRun(FREE_TEXT_KEY);
    const { testRun } = await response.json();
    await waitUntilFinished(FREE_TEXT_KEY, testRun.id);
    await removeRun(open.id);

    expect(response.status).toBe(202);
  });

  it("starts one free-text run for two concurrent starts", async () => {
    const before = await listTestRuns(harness.handle.db, { promptKey: FREE_TEXT_KEY, mode: "matrix", limit: 100 });

    const responses = await Promise.all([startRun(FREE_TEXT_KEY), startRun(FREE_TEXT_KEY)]);
    const statuses = responses.map((response) => response.status).sort();
    const started = responses.find((response) => response.status === 202);
    if (!started) throw new Error(`no start was accepted: ${statuses.join(", ")}`);
    const { testRun } = await started.json();
    await waitUntilFinished(FREE_TEXT_KEY, testRun.id);
    const after = await listTestRuns(harness.handle.db, { promptKey: FREE_TEXT_KEY, mode: "matrix", limit: 100 });

    expect(statuses).toEqual([202, 409]);
    expect(after).toHaveLength(before.length + 1);
  });

  it("starts again once the run finished", async () => {
    const response = await startRun(FREE_TEXT_KEY);
    const { testRun } = await response.json();
    await waitUntilFinished(FREE_TEXT_KEY, testRun.id);

    expect(response.status).toBe(202);
  });

  it("starts one pipeline run for two concurrent starts", async () => {
    const before = await listTestRuns(harness.handle.db, { promptKey: SCHEMA_KEY, mode: "matrix", limit: 100 });

    const responses = await Promise.all([startRun(SCHEMA_KEY), startRun(SCHEMA_KEY)]);
    const statuses = responses.map((response) => response.status).sort();
    const started = responses.find((response) => response.status === 202);
    const rejected = responses.find((response) => response.status === 409);
    if (!started || !rejected) throw new Error(`expected one 202 and one 409, got ${statuses.join(", ")}`);
    const { testRun } = await started.json();
    const rejectedBody: ErrorBody = await rejected.json();
    await waitUntilFinished(SCHEMA_KEY, testRun.id);
    const after = await listTestRuns(harness.handle.db, { promptKey: SCHEMA_KEY, mode: "matrix", limit: 100 });

    expect(statuses).toEqual([202, 409]);
    expect(rejectedBody.error.details.reason).toBe("prompt_test_run_active");
    expect(rejectedBody.error.details.testRunId).toBe(testRun.id);
    expect(after).toHaveLength(before.length + 1);
  });

  it("returns 409 while a pipeline run starts", async () => {
    const open = await insertOpenRun(SCHEMA_KEY, await defaultTargets(SCHEMA_KEY));

    const response = await startRun(SCHEMA_KEY);
    const body: ErrorBody = await response.json();
    await removeRun(open.id);

    expect(response.status).toBe(409);
    expect(body.error.details.testRunId).toBe(open.id);
  });

  it("starts a pipeline run again once one finished", async () => {
    const response = await startRun(SCHEMA_KEY);
    const { testRun } = await response.json();
    await waitUntilFinished(SCHEMA_KEY, testRun.id);

    expect(response.status).toBe(202);
  });
});

describe("prompt_test_run_active message", () => {
  const error = {
    code: "conflict",
    message: "A test run of prompt explainer on the same versions is still running.",
    details: { reason: "prompt_test_run_active", params: { key: "explainer", status: "running" } },
  };

  it("reads in English", () => {
    const t = createTranslator({ locale: "en", messages: en as UntypedMessages, namespace: "serverErrors" });

    expect(localizeServerError(error, t)).toBe(
      "A test run of prompt explainer on the same versions is still in progress, so no second one was started. Its results are shown below; start another once it has finished.",
    );
  });

  it("reads in French, queued", () => {
    const t = createTranslator({ locale: "fr", messages: fr as UntypedMessages, namespace: "serverErrors" });
    const queued = { ...error, details: { ...error.details, params: { key: "explainer", status: "queued" } } };

    expect(localizeServerError(queued, t)).toContain("est encore en file d’attente");
  });
});
